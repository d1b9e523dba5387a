import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';
import type { oauth } from '../util/oauth4webapi.ts';

/** A token request through the application's DPoP support when it has some, else a plain one. */
export async function withDpop<T>(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  resource: string,
  client: oauth.Client,
  run: (options: { DPoP?: oauth.DPoPHandle }) => Promise<T>,
): Promise<{ result: T; jkt?: string }> {
  return ctx.dpop
    ? ctx.dpop.tokenRequest(ctx, as, resource, client, run)
    : { result: await run({}) };
}

/** Marks a token record as bound to the DPoP key with thumbprint `jkt`. */
export function boundTo(record: TokensRecord, jkt: string | undefined): TokensRecord {
  if (jkt) record.dpopJkt = jkt;
  return record;
}
