import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The tests talk to a real Secret Service: run them with `pnpm test`, which wraps vitest in
// scripts/with-keyring.sh (a private D-Bus session and an unlocked GNOME Keyring).
export default mergeConfig(
  sharedConfig({ testTimeout: 30_000 }),
  defineConfig({ test: { globalSetup: ['test/support/global-setup.ts'] } }),
);
