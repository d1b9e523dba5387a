import { resolveServer } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { formatExpiry, table } from '../format.ts';
import { versioned } from '../output.ts';
import { serverState } from '../server-state.ts';

/** `mcp-oauth show <name>`: what is stored for a server, redacted. */
export async function show(
  ctx: CommandContext,
  name: string,
  options: { json?: boolean },
): Promise<number> {
  const store = await ctx.store();
  const alias = await resolveServer(store, name, ctx.settings.storeFlags);
  const state = await serverState(ctx, store, alias);
  if (options.json) {
    ctx.out.json(versioned(state));
  } else {
    const rows: [string, string][] = [
      ['name', state.name],
      ['server', state.serverUrl],
      ['resource', state.resource],
      ['status', state.state],
      ['issuer', state.issuer ?? '-'],
      [
        'client',
        state.clientId
          ? `${state.clientId}${state.clientSource ? ` (${state.clientSource.replaceAll('-', ' ')})` : ''}`
          : '-',
      ],
      ['scope', state.scope ?? '-'],
      ['token type', state.tokenType ?? '-'],
      [
        'expires',
        state.state === 'logged-out'
          ? '-'
          : formatExpiry(state.expiresAt ? Date.parse(state.expiresAt) : undefined),
      ],
      ['obtained', state.obtainedAt ?? '-'],
      [
        'refresh token',
        state.state === 'logged-out'
          ? '-'
          : state.hasRefreshToken
            ? 'yes (kept in the store)'
            : 'no',
      ],
      ['quirks', state.quirks.join(', ') || 'none'],
      ['store', state.store],
    ];
    for (const line of table(rows)) ctx.out.data(line);
  }
  return state.state === 'logged-out' ? 3 : 0;
}
