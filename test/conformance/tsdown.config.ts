import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/client.ts', 'src/run.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
