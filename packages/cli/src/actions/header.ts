import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { validToken } from '../valid-token.ts';

/** `mcp-oauth header <name>`: an HTTP Authorization header with a valid access token. */
export async function header(
  ctx: CommandContext,
  name: string,
  options: { json?: boolean },
): Promise<void> {
  const {
    token: { accessToken, tokenType },
    server,
  } = await validToken(ctx, name);
  if (tokenType.toLowerCase() === 'dpop') {
    const { loginLine } = await import('../option-flags.ts');
    const store = ctx.settings.storeFlags ? ` ${ctx.settings.storeFlags}` : '';
    throw new CliError(
      'dpop_bound',
      `The tokens for ${server.name} are DPoP-bound (RFC 9449): every request needs a fresh DPoP proof for its method and URL, signed with this client's key, so no fixed Authorization header can carry them. Reach the server through commands that send proofs (\`mcp-oauth test ${server.name}${store}\`, or \`mcp-oauth proxy ${server.name}${store}\` for an MCP host), or, if the MCP server also accepts Bearer tokens, log in again with: ${loginLine({ url: server.serverUrl, name: server.name, store: ctx.settings.storeFlags }, '--dpop off')}`,
      EXIT.failure,
    );
  }
  const scheme = tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
  if (options.json) ctx.out.json({ Authorization: `${scheme} ${accessToken}` });
  else ctx.out.data(`Authorization: ${scheme} ${accessToken}`);
}
