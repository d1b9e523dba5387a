import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

const QUICK_PATH =
  /[\\/]src[\\/](quick-entry|run-action|context|settings|output|exit-codes|aliases|format|server-state|stored-tokens|valid-token|stores[\\/](open-store|probe-keychain)|actions[\\/].*)\.ts$/;

export default defineConfig({
  // index: the bin; bridge: runBridge for apps that embed the stdio bridge
  entry: { index: 'src/index.ts', bridge: 'src/bridge/index.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  // The bin: run by node wherever it is installed.
  banner: { js: '#!/usr/bin/env node' },
  // `mcp-oauth --help` as commander prints it to a pipe (80 columns), kept beside the bin so that
  // the bin prints it without loading commander and every command (src/index.ts)
  onSuccess() {
    rmSync('dist/help.txt', { force: true });
    const help = spawnSync(process.execPath, ['dist/index.js', '--help'], { encoding: 'utf8' });
    if (help.status !== 0 || !help.stdout) throw new Error(`--help failed: ${help.stderr}`);
    writeFileSync('dist/help.txt', help.stdout);
  },
  outputOptions: {
    codeSplitting: {
      // The quick commands (token, header, list, show: src/quick-entry.ts) in one chunk: every
      // module a command starts with costs a resolution and a compile
      groups: [{ name: 'quick', test: QUICK_PATH }],
    },
  },
});
