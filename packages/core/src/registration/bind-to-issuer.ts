import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import type { FlowContext } from '../flow/context.ts';
import { storeKeys } from '../store/keys.ts';
import { readRecord, toStoreRecord } from '../store/records.ts';

/**
 * A pre-registered client configured without its issuer is bound to the first issuer
 * it is used with; if the server later names another issuer, the credentials are not
 * sent there (MCP authorization server binding).
 */
export async function bindToIssuer(
  ctx: FlowContext,
  clientId: string,
  issuer: string,
): Promise<void> {
  const key = storeKeys.binding(clientId);
  const bound = readRecord(await ctx.store.get(key), 'binding', key);
  if (bound && bound.issuer !== issuer) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The client ${clientId} is bound to ${bound.issuer}, not ${issuer} which now protects this server: register a client with ${issuer} and pass its id in the \`client.clientId\` option (or, if ${clientId} is also registered there, set \`client.issuer\` to confirm the change).`,
      {
        details: {
          boundIssuer: bound.issuer,
          issuer,
          option: 'client.clientId' satisfies OptionNamedByErrors,
        },
      },
    );
  }
  if (!bound)
    await ctx.store.set(
      key,
      toStoreRecord({ v: 1, kind: 'binding', clientId, issuer, boundAt: ctx.now() }),
    );
}
