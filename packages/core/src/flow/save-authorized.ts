import { scopeNarrowing } from '../authorization/scope-narrowing.ts';
import { storeKeys } from '../store/keys.ts';
import { toStoreRecord } from '../store/records.ts';
import type { FlowContext } from './context.ts';
import type { AuthorizedState } from './states.ts';

/**
 * Reports a flow that ended, once its tokens are stored: `authorized`, then `scope_narrowed`
 * when the server granted less than was asked for.
 */
export function reportAuthorized(ctx: FlowContext, { tokens, scope }: AuthorizedState): void {
  ctx.emit({
    type: 'authorized',
    issuer: tokens.issuer,
    resource: tokens.resource,
    scope: tokens.scope,
    expiresAt: tokens.expiresAt,
  });
  const narrowed = scopeNarrowing(scope, tokens);
  if (narrowed)
    ctx.emit({
      type: 'scope_narrowed',
      issuer: tokens.issuer,
      resource: tokens.resource,
      ...narrowed,
    });
}

/**
 * For applications that drive the flow themselves: stores the tokens of the `authorized`
 * state in the context's store (where `createOAuthClient` on the same store finds them),
 * then reports them. The transitions store no tokens.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createFlowContext, type FlowContextOptions, runFlow, saveAuthorized } from '@mcp-oauth/core/flow';
 *
 * const options: FlowContextOptions = { store: memoryStore(), retry: { attempts: 2 } };
 * const ctx = createFlowContext(options);
 * const done = await runFlow(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' }, {}, []);
 * await saveAuthorized(ctx, done); // the transitions return tokens; whoever runs them stores them
 * ```
 */
export async function saveAuthorized(ctx: FlowContext, state: AuthorizedState): Promise<void> {
  const { tokens } = state;
  await ctx.store.set(storeKeys.tokens(tokens.issuer, tokens.resource), toStoreRecord(tokens));
  reportAuthorized(ctx, state);
}
