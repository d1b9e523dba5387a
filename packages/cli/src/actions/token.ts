import type { CommandContext } from '../context.ts';
import { versioned } from '../output.ts';
import { validToken } from '../valid-token.ts';

/** `mcp-oauth token <name>`: a valid access token on stdout. */
export async function token(
  ctx: CommandContext,
  name: string,
  options: { json?: boolean },
): Promise<void> {
  const { token } = await validToken(ctx, name);
  if (token.tokenType.toLowerCase() === 'dpop')
    ctx.out.info(
      'This token is DPoP-bound: servers refuse it as a Bearer token; each request needs a DPoP proof (RFC 9449).',
    );
  if (options.json) {
    ctx.out.json(
      versioned({
        ...token,
        expiresAt: token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString(),
        scope: token.scope ?? null,
      }),
    );
  } else {
    ctx.out.data(token.accessToken);
  }
}
