import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { userCacheDirectory } from '@mcp-oauth/internal/node';

/** A CommonJS module's code as Node's loader calls it, with `__lazy` for its import() calls. */
type ModuleFunction = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
  lazy: (specifier: string) => Promise<unknown>,
) => void;

/**
 * Requires the CommonJS bundle `file` (absolute; built for it: its `import()` calls are
 * `__lazy(...)`, see tsdown.config.ts) through V8's code cache. The bytecode V8 produced for it,
 * the functions that ran included, is kept per user in the cache folder
 * (`$XDG_CACHE_HOME/mcp-oauth/v8`, `~/.cache/mcp-oauth/v8`; a folder only its owner may write,
 * files 0600), so later starts skip compiling it: Node's own compile cache does this only from
 * Node 22.1, and not for code that runs before it is enabled. V8 checks a cache against the
 * source's length and its flags, and the cache is headed by the file's size and modification
 * time (`stampOf`); a cache that does not match is not used, and `save()` writes a new one. A
 * cache that cannot be read or written costs the compile, nothing more;
 * `NODE_DISABLE_COMPILE_CACHE` (Node's switch for its own cache) turns it off. The module gets
 * the caller's `require` (a bundle requires only Node's own modules: any `require` finds them,
 * and `createRequire` would load node:module for nothing), and `lazy` loads what it imports
 * lazily (the caller's own `import()`, resolved beside `file`).
 */
export function requireWithCodeCache<T>(
  file: string,
  key: string,
  loaders: {
    /** The module's `require`: Node's own modules only (a bundle of everything else). */
    require: NodeJS.Require;
    lazy: (specifier: string) => Promise<unknown>;
  },
  env: NodeJS.ProcessEnv = process.env,
): { exports: T; save: () => void } {
  const folder = env.NODE_DISABLE_COMPILE_CACHE ? undefined : cacheFolder(env);
  const cacheFile = folder && join(folder, `${key}-${process.version}-${process.arch}.v8`);
  const stamp = folder ? stampOf(file) : undefined;
  const cached = cacheFile && stamp ? stamped(readPrivate(cacheFile), stamp) : undefined;
  const source = readFileSync(file, 'utf8');
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, __lazy) {${source}\n})`,
    { filename: file, ...(cached ? { cachedData: cached } : {}) },
  );
  const module = { exports: {} as unknown };
  (script.runInThisContext() as ModuleFunction)(
    module.exports,
    loaders.require,
    module,
    file,
    dirname(file),
    loaders.lazy,
  );
  const save = () => {
    if (!folder || !cacheFile || (cached && !script.cachedDataRejected)) return;
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (!ownedPrivately(folder)) return;
      const partial = `${cacheFile}.${process.pid}.tmp`;
      if (!stamp) return;
      writeFileSync(partial, Buffer.concat([stamp, script.createCachedData()]), { mode: 0o600 });
      renameSync(partial, cacheFile);
    } catch {
      // a cache that cannot be written costs the next start its compile, nothing more
    }
  };
  return { exports: module.exports as T, save };
}

/**
 * The file's size and modification time, which head its cache: V8 checks a cache against the
 * source's length only, so a file rebuilt to the same length (the same version number, as
 * during development) would run the old file's bytecode; a cache of another stamp is not used.
 */
function stampOf(file: string): Buffer | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    const stamp = Buffer.alloc(STAMP_BYTES);
    stamp.writeDoubleLE(size, 0);
    stamp.writeDoubleLE(mtimeMs, 8);
    return stamp;
  } catch {
    return undefined;
  }
}

const STAMP_BYTES = 16;

/** V8's data of a cache written for the source of this stamp, else undefined. */
function stamped(cache: Buffer | undefined, stamp: Buffer): Buffer | undefined {
  if (!cache || cache.length <= STAMP_BYTES || !cache.subarray(0, STAMP_BYTES).equals(stamp))
    return undefined;
  return cache.subarray(STAMP_BYTES);
}

function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return join(userCacheDirectory('mcp-oauth', { env }), 'v8');
  } catch {
    return undefined;
  }
}

/** The file's bytes when it and its folder are this user's and no one else may write them. */
function readPrivate(file: string): Buffer | undefined {
  try {
    if (!ownedPrivately(dirname(file)) || !ownedPrivately(file)) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Owned by this user (where Node knows users), writable by no one else, not a link. */
function ownedPrivately(path: string): boolean {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return false;
  const uid = process.getuid?.();
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}
