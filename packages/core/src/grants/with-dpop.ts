import type { Client, DPoPHandle } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';

/** Where a token request goes and what the tokens are for: both sides decide on DPoP. */
export interface TokenRequestTarget {
  as: AuthorizationServerMetadata;
  resourceMetadata: ProtectedResourceMetadata;
  /** On a refresh, the thumbprint of the key the tokens are bound to. */
  boundJkt?: string | undefined;
}

/** A token request through the application's DPoP support when it has some, else a plain one. */
export async function withDpop<T>(
  ctx: FlowContext,
  target: TokenRequestTarget,
  client: Client,
  run: (options: { DPoP?: DPoPHandle }) => Promise<T>,
): Promise<{ result: T; jkt?: string }> {
  return ctx.dpop ? ctx.dpop.tokenRequest(ctx, target, client, run) : { result: await run({}) };
}

/**
 * Marks a token record as bound to the DPoP key with thumbprint `jkt` when the server says
 * so (`token_type` DPoP, RFC 9449 §5). A DPoP token obtained without a proof is refused: it
 * could not be used, and accepting it would send it as a bearer token.
 */
export function boundTo(record: TokensRecord, jkt: string | undefined): TokensRecord {
  if (record.tokenType === 'dpop') {
    if (!jkt) {
      throw new McpOAuthError(
        'invalid_response',
        'The authorization server issued a DPoP-bound token to a request without a DPoP proof.',
      );
    }
    record.dpopJkt = jkt;
  } else {
    delete record.dpopJkt; // the server chose a bearer token: no proof will be sent
  }
  return record;
}
