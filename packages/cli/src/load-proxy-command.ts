import { join } from 'node:path';
import type * as ProxyCommand from './proxy/run-proxy-command.ts';
import { requireWithCodeCache } from './require-with-code-cache.ts';
import { VERSION } from './version.ts';

/**
 * The proxy command from dist/proxy.cjs in `folder` (the bin's own; the build writes it there,
 * see tsdown.config.ts), compiled through V8's code cache (src/require-with-code-cache.ts), with
 * the bin's `require` (the bundle requires only Node's own modules). The cache is written after
 * a bridge has run to its end (exit code 0), not after the load: by then it holds the bytecode
 * of everything a bridge runs (the store read, the first requests and answers), which V8 would
 * otherwise compile again, lazily, at every start. A `--print-config` or a bridge that could not
 * start writes none: a cache is kept once written, and theirs would hold little.
 */
export function loadProxyCommand(folder: string, require: NodeJS.Require): typeof ProxyCommand {
  const { exports, save } = requireWithCodeCache<typeof ProxyCommand>(
    join(folder, 'proxy.cjs'),
    `proxy-${VERSION}`,
    { require, lazy: (specifier) => import(specifier) },
  );
  return {
    ...exports,
    async runProxyCommand(flags, server, options) {
      await exports.runProxyCommand(flags, server, options);
      if (!options.printConfig && (process.exitCode ?? 0) === 0) save();
    },
  };
}
