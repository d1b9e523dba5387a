import { defineConfig } from 'tsdown';

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
});
