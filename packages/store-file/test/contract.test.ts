import { randomBytes } from 'node:crypto';
import { describeStoreContract } from '@mcp-oauth/test-store-contract';
import { afterAll, beforeAll } from 'vitest';
import { fileStore } from '../src/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

const warnings: string[] = [];

describeStoreContract('file (default key file)', {
  create: (namespace) =>
    fileStore({ directory: dir.path, namespace, onWarning: (w) => warnings.push(w.code) }),
});

const key = randomBytes(32);
describeStoreContract('file (supplied key)', {
  create: (namespace) =>
    fileStore({
      directory: `${dir.path}/supplied`,
      namespace,
      keySource: { kind: 'key', key },
      onWarning: () => {},
    }),
});
