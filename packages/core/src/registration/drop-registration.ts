import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import type { FlowContext } from '../flow/context.ts';
import { storeKeys } from '../store/keys.ts';
import { type ClientRecord, readRecord } from '../store/records.ts';

/**
 * Deletes the stored dynamic registration `failed` that the server no longer knows, only
 * if the stored record is still that registration (compare before delete, as DESIGN.md's
 * rule 4 does for tokens: another process may already have registered again). Emits
 * `registration_dropped` when it deleted it. Returns whether it did.
 */
export async function dropRegistration(
  ctx: FlowContext,
  failed: ClientRecord,
  reason: 'invalid_client' | 'registration_unknown',
): Promise<boolean> {
  if (failed.source !== 'dynamic-registration') return false;
  const key = storeKeys.client(failed.issuer);
  const stored = readRecord(await ctx.store.get(key), 'client', key);
  if (stored?.clientId !== failed.clientId) return false;
  await ctx.store.delete(key);
  ctx.emit({
    type: 'registration_dropped',
    issuer: failed.issuer,
    clientId: failed.clientId,
    reason,
  });
  return true;
}

/**
 * The error to report after the server answered `invalid_client` (`error`) about `client`.
 * A dynamic registration is dropped (compare before delete) and the answer is
 * `reauthorization_required` with `details.registrationDropped`: the next authorization
 * registers again. A client the application configured (pre-registered, or a Client ID
 * Metadata Document) cannot be replaced: the answer is `invalid_configuration` naming the
 * client id and, in `details.option`, the option to fix.
 */
export async function reportRejectedClient(
  ctx: FlowContext,
  client: ClientRecord,
  error: McpOAuthError,
): Promise<McpOAuthError> {
  const server = {
    cause: error,
    oauthError: 'invalid_client',
    ...(error.oauthErrorDescription ? { oauthErrorDescription: error.oauthErrorDescription } : {}),
    ...(error.status ? { status: error.status } : {}),
  };
  if (client.source === 'dynamic-registration') {
    await dropRegistration(ctx, client, 'invalid_client');
    return new McpOAuthError(
      'reauthorization_required',
      `The authorization server ${client.issuer} no longer knows the client ${client.clientId} (invalid_client): its stored registration was dropped; authorize again to register anew.`,
      {
        ...server,
        details: { registrationDropped: true, issuer: client.issuer, clientId: client.clientId },
      },
    );
  }
  const metadataDocument = client.source === 'client-id-metadata-document';
  return new McpOAuthError(
    'invalid_configuration',
    metadataDocument
      ? `The authorization server ${client.issuer} rejected the client ${client.clientId} (invalid_client): it could not use this Client ID Metadata Document. Check the document, or pass another in the \`client.clientMetadataUrl\` option.`
      : `The authorization server ${client.issuer} rejected the client ${client.clientId} (invalid_client): it does not know this client id, or its credentials are wrong. Pass a client registered with it in the \`client.clientId\` option (with its secret or key), or leave it out to use dynamic registration.`,
    {
      ...server,
      details: {
        option: (metadataDocument
          ? 'client.clientMetadataUrl'
          : 'client.clientId') satisfies OptionNamedByErrors,
        issuer: client.issuer,
        clientId: client.clientId,
      },
    },
  );
}
