import { defineConfig } from 'vitest/config';

/**
 * Unlike the other suites, no `dev-source` condition: better-auth's packages publish that
 * condition too (pointing at sources they do not ship), and the matrix tests what users run
 * anyway, the built packages (build first: `pnpm exec turbo run build`). One file, cells one
 * after another: servers, CLI processes and waits past token expiry stay within about four
 * minutes on two cores. The JSON report is summed by scripts/test-all.mjs.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: [
      'default',
      ['json', { outputFile: process.env.MCP_OAUTH_TEST_REPORT ?? '.test-results.json' }],
    ],
  },
});
