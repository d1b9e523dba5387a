import { defineConfig } from 'tsdown';

// Two programs: the launcher (one command: store, test servers, two gateway processes and the
// round-robin proxy in front of them) and one gateway process.
export default defineConfig({
  entry: ['src/main.ts', 'src/worker.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: false,
  clean: true,
  fixedExtension: false,
});
