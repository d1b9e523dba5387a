import {
  createOAuthClient,
  type Interaction,
  type McpOAuthClient,
  type McpOAuthEvent,
} from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { dpop } from '@mcp-oauth/core/dpop';
import type { CliAliasRecord, ServerSettings } from './aliases.ts';
import type { CommandContext } from './context.ts';
import { describeEvent } from './describe-event.ts';
import { VERSION } from './version.ts';

export interface ClientOptions {
  interaction?: Interaction;
  /** Progress lines for these events (all events with --verbose). */
  progress?: McpOAuthEvent['type'][];
  onEvent?: (event: McpOAuthEvent) => void;
}

/** Core's client for a named server, with the settings it was logged in with. */
export async function oauthClientFor(
  ctx: CommandContext,
  server: { serverUrl: string; name?: string; settings?: ServerSettings | undefined },
  options: ClientOptions = {},
): Promise<McpOAuthClient> {
  const settings = server.settings ?? {};
  ctx.target ??= { url: server.serverUrl, name: server.name, store: ctx.settings.storeFlags };
  // RFC 7591 §3: from the environment only (kept out of the process list), never stored
  const initialAccessToken = ctx.settings.env.MCP_OAUTH_INITIAL_ACCESS_TOKEN || undefined;
  const progress = new Set(options.progress ?? []);
  const dpopMode = settings.dpop ?? 'auto';
  return createOAuthClient({
    serverUrl: server.serverUrl,
    store: await ctx.store(),
    fetch: ctx.fetchFor(settings),
    ...(settings.allowHttp ? { allowInsecureHttp: true } : {}),
    ...(settings.maxResponseBytes ? { maxResponseBytes: settings.maxResponseBytes } : {}),
    client: {
      clientName: 'mcp-oauth CLI',
      softwareId: 'mcp-oauth-cli',
      softwareVersion: VERSION,
      ...(settings.clientId ? { clientId: settings.clientId } : {}),
      ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
      ...(settings.clientMetadataUrl ? { clientMetadataUrl: settings.clientMetadataUrl } : {}),
      ...(initialAccessToken ? { initialAccessToken } : {}),
    },
    ...(settings.scopes?.length ? { scopes: settings.scopes } : {}),
    ...(settings.quirks ? { quirks: settings.quirks } : {}),
    ...(settings.authorizationServer ? { authorizationServer: settings.authorizationServer } : {}),
    // a configured secret also lets servers that offer only client credentials work
    ...(options.interaction
      ? {
          interaction: settings.clientSecret
            ? [options.interaction, clientCredentials()]
            : options.interaction,
        }
      : {}),
    // DPoP where both servers take it (auto), forced (always), or never (off)
    ...(dpopMode === 'off' ? {} : { dpop: dpop({ mode: dpopMode }) }),
    onEvent: (event) => {
      if (ctx.settings.verbose || progress.has(event.type)) {
        const line = describeEvent(event, { endpointsGiven: !!settings.authorizationServer });
        if (line) ctx.out.info(ctx.out.style.dim(line));
      }
      options.onEvent?.(event);
    },
  });
}

export type { CliAliasRecord };
