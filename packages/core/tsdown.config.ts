import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/flow.ts',
    'src/device.ts',
    'src/client-credentials.ts',
    'src/enterprise.ts',
    'src/workload.ts',
    'src/dpop.ts',
    'src/private-key-jwt.ts',
    'src/management.ts',
    'src/servers.ts',
    'src/store.ts',
  ],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
