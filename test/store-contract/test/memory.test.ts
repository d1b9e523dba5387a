import { memoryStore } from '@mcp-oauth/core';
import { createMemoryBacking } from '@mcp-oauth/core/store';
import { describeStoreContract } from '../src/index.ts';

const backing = createMemoryBacking();

describeStoreContract('memory', {
  create: (namespace) => memoryStore({ namespace, backing }),
  capabilities: { lifecycle: false, lockChannel: false },
});
