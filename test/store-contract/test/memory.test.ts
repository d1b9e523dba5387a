import { createMemoryBacking, memoryStore } from '@mcp-oauth/core';
import { describeStoreContract } from '../src/index.ts';

const backing = createMemoryBacking();

describeStoreContract('memory', {
  create: (namespace) => memoryStore({ namespace, backing }),
});
