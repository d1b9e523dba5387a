import { sharedConfig } from '../../vitest.shared.ts';

// Each runtime spawns a process (or a browser) and walks a whole authorization flow.
export default sharedConfig({ testTimeout: 90_000 });
