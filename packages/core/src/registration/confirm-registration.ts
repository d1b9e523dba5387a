import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { storeKeys } from '../store/keys.ts';
import { type ClientRecord, toStoreRecord } from '../store/records.ts';
import { dropRegistration } from './drop-registration.ts';
import { manageRegistration, withRegistrationAnswer } from './registration-request.ts';

/**
 * Before a person is sent to the authorization server with a stored dynamic registration:
 * does the server still know it? A server that forgot it shows the person an error page
 * and never redirects back, so the client would wait for nothing. With RFC 7592 (the
 * registration has a configuration URI and access token) one GET tells: 401 (§2.1: the
 * client does not exist) or 404 means forgotten, and the registration is dropped (compare
 * before delete); the caller then registers again. Any other outcome (a network error, a
 * 5xx, a 403) keeps the registration. Credentials the server rotated in its answer are
 * stored. Only at the start of an interactive authorization: never on the refresh path.
 *
 * Returns the registration to use, or undefined when it was forgotten.
 */
export async function confirmRegistration(
  ctx: FlowContext,
  stored: ClientRecord,
): Promise<ClientRecord | undefined> {
  if (!stored.registrationClientUri || !stored.registrationAccessToken) return stored;
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await manageRegistration(ctx, stored, { method: 'GET' });
  } catch (error) {
    const forgotten =
      McpOAuthError.is(error, 'registration_management_failed') &&
      (error.status === 401 || error.status === 404);
    if (!forgotten) return stored;
    await dropRegistration(ctx, stored, 'registration_unknown');
    return undefined;
  }
  const next = withRegistrationAnswer(stored, answer ?? {});
  if (next !== stored) await ctx.store.set(storeKeys.client(stored.issuer), toStoreRecord(next));
  return next;
}
