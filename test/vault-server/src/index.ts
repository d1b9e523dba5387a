export type { Capability, PolicyRules } from './policy.ts';
export {
  startVaultServer,
  type TokenSeed,
  type VaultServer,
  type VaultServerOptions,
} from './server.ts';
export type { VaultServerStats } from './state.ts';
