export { type Child, childProcesses } from './children.ts';
export type { StoreContractCapabilities, StoreContractHarness } from './harness.ts';
export { nestedRecord, TRICKY_KEYS } from './records.ts';
export { describeStoreContract } from './suite.ts';
