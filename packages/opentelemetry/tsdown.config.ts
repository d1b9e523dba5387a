import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  // package.json names .js/.d.ts; the node platform would otherwise emit .mjs/.d.mts.
  fixedExtension: false,
});
