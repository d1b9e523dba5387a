import type { FlowContext } from '../../src/flow/context.ts';
import { guardedFetch } from '../../src/http/guarded-fetch.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { memoryStore } from '../../src/store/memory.ts';

/** A flow context over `fetch` (default: the real one) with a memory store, for transition tests. */
export function flowContext(
  fetch: FetchLike = (input, init) => globalThis.fetch(input, init),
  overrides: Partial<FlowContext> = {},
): FlowContext {
  return {
    fetch,
    oauthFetch: guardedFetch(fetch, 65536),
    store: memoryStore(),
    now: Date.now,
    randomString: () => 'r',
    emit: () => {},
    quirks: {},
    maxResponseBytes: 65536,
    allowInsecureHttp: 'loopback',
    ...overrides,
  };
}
