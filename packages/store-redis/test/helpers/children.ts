import { childProcesses } from '@mcp-oauth/test-store-contract';

export type { Child } from '@mcp-oauth/test-store-contract';

/** Fixtures in test/fixtures/, run as child processes against the built package. */
export const { assertBuilt, spawnFixture } = childProcesses(
  new URL('../', import.meta.url),
  '@mcp-oauth/store-redis',
);
