import { sharedConfig } from '../../vitest.shared.ts';

// runners.test.ts starts node --test and jest on the other two examples
export default sharedConfig({
  include: ['test/vitest/**/*.test.ts', 'test/*.test.ts'],
  testTimeout: 120_000,
});
