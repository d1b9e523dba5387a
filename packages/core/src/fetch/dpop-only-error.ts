import { dpopOptionMissing } from '../discovery/dpop-option-missing.ts';
import { parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
import type { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';

/**
 * A fresh Bearer token refused with a `DPoP` challenge and no `Bearer` one: the resource accepts
 * only DPoP-bound tokens, and this client could not get one (no `dpop` option: the error names
 * it; with `dpop`, its own error says why the token is not bound). Loaded when such a refusal is
 * met, not with every request's path.
 */
export function dpopOnlyError(
  ctx: FlowContext,
  response: Response,
  url: string,
): McpOAuthError | undefined {
  const schemes = parseWwwAuthenticate(response.headers.get('www-authenticate')).map(
    (c) => c.scheme,
  );
  if (!schemes.includes('dpop') || schemes.includes('bearer')) return undefined;
  return ctx.dpop ? ctx.dpop.refusedBearer(url) : dpopOptionMissing(new URL(url).origin, 401);
}
