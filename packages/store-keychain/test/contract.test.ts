import { describeStoreContract } from '@mcp-oauth/test-store-contract';
import { keychainStore } from '../src/index.ts';

// A real GNOME Keyring on a private D-Bus session (scripts/with-keyring.sh). Stores of one
// namespace share the keyring and the default lock folder, as two processes would.
describeStoreContract('keychain (GNOME Keyring over D-Bus)', {
  create: (namespace) => keychainStore({ namespace }),
});
