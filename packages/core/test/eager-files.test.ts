import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What Node loads for a client with a stored valid token (issue 14): the public entry and the
 * store entry (which every store package imports), from the built package, run in a real Node
 * process whose module loader hook reports every URL it loads. Node resolves, reads, compiles
 * and links each file of an ES module graph on its own, so the build puts what the public entry
 * loads up front in two chunks (tsdown.config.ts: `core`, shared with the other entries, and
 * `client`); the flow, discovery, registration, the grants and oauth4webapi stay behind
 * `import()`, loaded on first need.
 */
const dist = join(import.meta.dirname, '..', 'dist');
const built = existsSync(join(dist, 'index.js'));

/** The URLs Node loads for `program` (an ES module's text), in order. */
function loadedBy(program: string): string[] {
  const hook = `export async function load(url, context, next) {
    process._rawDebug('LOADED ' + url);
    return next(url, context);
  }`;
  const register = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      program,
    ],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED '))
    .map((line) => line.slice('LOADED '.length));
}

const fileOf = (entry: string) => JSON.stringify(pathToFileURL(join(dist, entry)).href);
const coreFiles = (urls: string[]) =>
  urls.filter((url) => url.startsWith(pathToFileURL(dist).href)).map((url) => url.split('/').pop());

describe('the files Node loads from the built package', () => {
  it('core is built', () => {
    expect(built, 'build core first: pnpm --filter @mcp-oauth/core build').toBe(true);
  });

  it('the public entry and the store entry with a client: 4 files, nothing of the flow', () => {
    if (!built) throw new Error('build core first');
    const loaded = loadedBy(`import { createOAuthClient, memoryStore } from ${fileOf('index.js')};
import { observeLock } from ${fileOf('store.js')};
createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', store: memoryStore() });`);
    const files = coreFiles(loaded);
    expect(files).toHaveLength(4);
    expect(files).toEqual(
      expect.arrayContaining(['index.js', 'store.js', expect.stringMatching(/^core-[\w-]+\.js$/)]),
    );
    expect(files).toContainEqual(expect.stringMatching(/^client-[\w-]+\.js$/));
    expect(loaded.filter((url) => /oauth4webapi|jose|discover|run-|transitions/.test(url))).toEqual(
      [],
    );
  });

  it('the store entry alone loads one chunk, without the client', () => {
    if (!built) throw new Error('build core first');
    const files = coreFiles(loadedBy(`import { observeLock } from ${fileOf('store.js')};`));
    expect(files).toEqual(['store.js', expect.stringMatching(/^core-[\w-]+\.js$/)]);
  });
});
