#!/usr/bin/env node
/**
 * The `mcp-oauth` bin, built to CommonJS (dist/bin.cjs, see tsdown.config.ts): Node starts a
 * CommonJS file without its ESM loader, which alone costs more than --version may. It answers
 * --version, piped --help and the short usage itself; the quick commands (token, header, list,
 * show) run from one CommonJS bundle (dist/quick.cjs) that requires only Node's own modules;
 * `proxy` from its own CommonJS bundle (dist/proxy.cjs, through src/proxy-entry.ts and
 * src/load-proxy-command.ts);
 * everything else is the ESM program (dist/run-program.js), as src/index.ts routes it.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProxyEntry } from './proxy-entry.ts';
import { namesQuickCommand, quickCommandOf, route } from './route.ts';
import { stdoutIsTerminal } from './stdout-is-terminal.ts';
import { SHORT_USAGE } from './usage.ts';
import { VERSION } from './version.ts';
import { writeStdout } from './write-stdout.ts';

const args = process.argv.slice(2);
const to = route(args, stdoutIsTerminal);
const help = to === 'help' ? renderedHelp() : undefined;
if (to === 'version') {
  writeStdout(`${VERSION}\n`);
} else if (help !== undefined) {
  writeStdout(help);
} else if (to === 'usage') {
  writeStdout(SHORT_USAGE);
} else {
  // Node's on-disk cache of compiled code (Node >= 22.1; not in Node 20's types); node:module
  // is required only there: it loads parts of the ESM loader
  if (hasCompileCache())
    (require('node:module') as { enableCompileCache: () => unknown }).enableCompileCache();
  if (to === 'proxy') {
    // proxy, which hosts spawn for every window: without commander, from dist/proxy.cjs
    void runProxyEntry(args, proxyCommand).then((handled) =>
      handled ? undefined : namesQuickCommand(args) ? quick() : program(),
    );
  } else if (to === 'quick') {
    void quick();
  } else {
    void program();
  }
}

/** token, header, list, show; the whole program for a command line the quick entry declines. */
async function quick(): Promise<void> {
  // the bundle, not its source: the build writes it beside this file (CommonJS, no ESM loader),
  // compiled through V8's code cache; its lazy imports are this file's (same folder). Required
  // here, not at the top: what it loads (node:vm, the cache folder's lookup) --version never needs
  const {
    requireWithCodeCache,
  }: typeof import('./require-with-code-cache.ts') = require('./require-with-code-cache.ts');
  // a cache per command: it holds the functions of the run that wrote it
  const { exports: entry, save } = requireWithCodeCache<typeof import('./quick-entry.ts')>(
    join(__dirname, 'quick.cjs'),
    `quick-${VERSION}-${quickCommandOf(args) ?? 'other'}`,
    { require, lazy: (specifier) => import(specifier) },
  );
  const handled = await entry.runQuickEntry(args);
  save();
  if (!handled) await program();
}

/** The proxy command, from its bundle beside this file (src/load-proxy-command.ts). */
function proxyCommand(): typeof import('./proxy/run-proxy-command.ts') {
  // required here, not at the top: what it loads (node:vm, the cache folder's lookup) --version
  // never needs
  const {
    loadProxyCommand,
  }: typeof import('./load-proxy-command.ts') = require('./load-proxy-command.ts');
  return loadProxyCommand(__dirname, require);
}

/** Node >= 22.1, which has `module.enableCompileCache()`. */
function hasCompileCache(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

/** The whole command line (commander), from the ESM build beside this file. */
async function program(): Promise<void> {
  const { runProgram }: typeof import('./run-program.ts') = await import('./run-program.js');
  await runProgram(process.argv);
}

/** dist/help.txt, written by the build beside this file; undefined when it is missing. */
function renderedHelp(): string | undefined {
  try {
    return readFileSync(join(__dirname, 'help.txt'), 'utf8');
  } catch {
    return undefined;
  }
}
