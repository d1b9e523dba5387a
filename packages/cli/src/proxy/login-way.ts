import type { ServerSettings } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { browserAvailable } from '../interactions/browser-available.ts';
import { oauthClientFor } from '../oauth-client.ts';

/** How a bridge can ask a person to log in. */
export type LoginWay =
  /** a browser opens on this machine */
  | 'browser'
  /** the device flow (RFC 8628): its code on stderr, in the log, and in the host's answers */
  | 'device'
  /** the URL to open, on the terminal the bridge runs in */
  | 'url';

/**
 * How a bridge can ask a person to log in, for a request that `opensSession` (`initialize`,
 * `server/discover`) or not; or why there is no way. Without a browser, a host is shown a
 * device code in its answer to a request, which needs a host that keeps the bridge running
 * after an error: a host closes a bridge whose session could not open, and the code with it,
 * so such a request is told the login command instead (unless a terminal shows the code).
 */
export async function loginWay(
  ctx: CommandContext,
  server: { serverUrl: string; name: string; settings: ServerSettings },
  opensSession: boolean,
): Promise<{ how: LoginWay } | { how: undefined; why: string }> {
  const browser = browserAvailable(ctx.settings.env);
  if (browser.available) return { how: 'browser' };
  const terminal = process.stderr.isTTY === true;
  if (!terminal && opensSession) return { how: undefined, why: `${browser.reason}, no terminal` };
  const probe = await oauthClientFor(ctx, server);
  const discovery = await probe.discover();
  if (discovery.authorizationServerMetadata.device_authorization_endpoint) return { how: 'device' };
  if (terminal) return { how: 'url' };
  return {
    how: undefined,
    why: `${browser.reason}, no terminal, and the authorization server offers no device flow`,
  };
}
