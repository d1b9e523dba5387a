import { sharedConfig } from '../../vitest.shared.ts';

// The keychain tests talk to a real Secret Service: run them with `pnpm test`, which wraps
// vitest in ../store-keychain/scripts/with-keyring.sh (a private D-Bus session and keyring).
export default sharedConfig({ testTimeout: 30_000 });
