import { sharedConfig } from '../../vitest.shared.ts';

// One browser walk through the gateway: two users, two processes, one store.
export default sharedConfig({ testTimeout: 90_000 });
