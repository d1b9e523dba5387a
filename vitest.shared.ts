import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: workspace packages resolve to their `src/` through the
 * `dev-source` export condition, and every run also writes a JSON report that
 * `scripts/test-all.mjs` sums into the closing `N passed, N failed` line.
 */
export function sharedConfig(overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: ['dev-source'] },
    ssr: { resolve: { conditions: ['dev-source'] } },
    test: {
      include: overrides.include ?? ['test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      reporters: [
        'default',
        // MCP_OAUTH_TEST_REPORT: another file, when test-all runs a suite again on another Node
        ['json', { outputFile: process.env.MCP_OAUTH_TEST_REPORT ?? '.test-results.json' }],
      ],
    },
  });
}
