import { TOKEN_REQUEST } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';
import type { GrantArgs } from './grant-args.ts';
import { tokenGrantRequest } from './token-grant-request.ts';

/** The client_credentials grant (MCP client-credentials extension): a secret or private_key_jwt. */
export function clientCredentialsGrant(ctx: FlowContext, args: GrantArgs): Promise<TokensRecord> {
  return tokenGrantRequest(ctx, args, 'client_credentials', new URLSearchParams(), TOKEN_REQUEST);
}
