import { McpOAuthError } from '@mcp-oauth/core';
import { type Context, Hono } from 'hono';
import { csrf } from 'hono/csrf';
import {
  type Connection,
  deleteConnection,
  findConnection,
  listConnections,
  newConnectionId,
  saveConnection,
} from './connections.ts';
import {
  beginConnect,
  type ConnectionStatus,
  callTool,
  connectionStatus,
  type McpAccess,
  oauthFor,
} from './mcp.ts';
import { connectionPage, errorPage, type Html, homePage, layout, signInPage } from './pages.ts';
import { savePending, takePending } from './pending.ts';
import { readSession, sessionTag, signIn, signOut, type WebSession } from './session.ts';
import type { GatewayStores } from './stores.ts';

export interface GatewayOptions {
  /** This process's name, shown on every page and sent as `x-gateway-instance`. */
  instance: string;
  /** The origin users reach (the proxy in front of the processes): redirect URI and CSRF origin. */
  publicUrl: string;
  /** Signs session cookies; the same in every process. */
  sessionSecret: string;
  stores: GatewayStores;
  /** Prefilled in the "connect a server" form. */
  defaultServerUrl: string;
  log(line: string): void;
  now?: () => number;
}

type Env = { Variables: { session: WebSession | undefined } };

/** The gateway's routes, as a Hono app (web-standard Request and Response). */
export function createGateway(options: GatewayOptions): Hono<Env> {
  const { instance, publicUrl, sessionSecret, stores, log } = options;
  const now = options.now ?? Date.now;
  const redirectUri = new URL('/callback', publicUrl).href;
  const access: McpAccess = { stores, instance, log };
  const app = new Hono<Env>();

  const page = (c: Context<Env>, title: string, body: Html, status: 200 | 400 | 403 | 404 = 200) =>
    c.html(layout(title, instance, c.get('session')?.user, body), status);
  const fail = (c: Context<Env>, status: 400 | 403 | 404, message: string, detail?: string) =>
    page(c, 'Error', errorPage(message, detail), status);

  app.use(async (c, next) => {
    c.header('x-gateway-instance', instance);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    c.set('session', await readSession(c, sessionSecret));
    await next();
  });
  // form posts only from the gateway's own pages (SameSite=Lax cookies do the rest)
  app.use(csrf({ origin: new URL(publicUrl).origin }));

  app.post('/signin', async (c) => {
    const form = await c.req.formData();
    const name = String(form.get('name') ?? '').trim();
    if (!name || name.length > 64) return fail(c, 400, 'Give a name of 1 to 64 characters.');
    await signIn(c, name, sessionSecret);
    return c.redirect('/', 303);
  });
  app.post('/signout', (c) => {
    signOut(c);
    return c.redirect('/', 303);
  });

  // everything below needs a signed-in user
  app.use(async (c, next) => {
    if (c.get('session')) return next();
    if (c.req.method === 'GET' && c.req.path === '/')
      return c.html(layout('Sign in', instance, undefined, signInPage()));
    return fail(c, 403, 'Sign in first.');
  });
  const userOf = (c: Context<Env>) => (c.get('session') as WebSession).user;

  app.get('/', async (c) => {
    const user = userOf(c);
    const connections = await listConnections(stores.userOnly(user));
    const rows = await Promise.all(
      connections.map(async (connection) => ({
        connection,
        status: await statusOf(connection, user),
      })),
    );
    return page(c, 'Your servers', homePage(rows, options.defaultServerUrl));
  });

  app.post('/connect', async (c) => {
    const session = c.get('session') as WebSession;
    const form = await c.req.formData();
    const serverUrl = parseServerUrl(String(form.get('serverUrl') ?? ''));
    if (!serverUrl) return fail(c, 400, 'Give the http(s) URL of an MCP server.');
    // connecting a server again re-authorizes the same connection
    const existing = (await listConnections(stores.userOnly(session.user))).find(
      (k) => k.serverUrl === serverUrl,
    );
    try {
      const { authorizationUrl, pending } = await beginConnect(
        access,
        session.user,
        serverUrl,
        redirectUri,
      );
      await savePending(stores.app, {
        v: 1,
        kind: 'gateway-pending',
        session: sessionTag(session),
        user: session.user,
        connectionId: existing?.id ?? newConnectionId(),
        serverUrl,
        startedOn: instance,
        createdAt: now(),
        pending,
      });
      log(`authorization started on ${instance}`);
      return c.redirect(authorizationUrl, 303);
    } catch (error) {
      return fail(c, 400, `Could not connect ${serverUrl}.`, describe(error));
    }
  });

  app.get('/callback', async (c) => {
    const session = c.get('session') as WebSession;
    const state = c.req.query('state');
    if (!state) return fail(c, 400, 'This callback carries no state.');
    const taken = await takePending(stores.app, state, sessionTag(session), now());
    if (!taken.ok) {
      log(`callback refused on ${instance}: ${taken.reason}`);
      switch (taken.reason) {
        case 'other_session':
          return fail(
            c,
            403,
            'This authorization was started in another session.',
            'Nothing was changed. Connect the server from your own session.',
          );
        case 'expired':
          return fail(c, 400, 'This authorization took too long.', 'Connect the server again.');
        case 'unknown':
          return fail(
            c,
            400,
            'This authorization is unknown or already used.',
            'Nothing was changed. Connect the server again if you need to.',
          );
      }
    }
    const { record } = taken;
    try {
      // the callback URL as the authorization server sent it (the proxy keeps the path and query)
      const callbackUrl = new URL(c.req.url);
      const url = new URL(`${callbackUrl.pathname}${callbackUrl.search}`, publicUrl).href;
      await oauthFor(access, record.user, record.serverUrl).completeAuthorization(
        record.pending,
        url,
      );
    } catch (error) {
      return fail(c, 400, `Connecting ${record.serverUrl} failed.`, describe(error));
    }
    const connection: Connection = {
      v: 1,
      kind: 'gateway-connection',
      id: record.connectionId,
      serverUrl: record.serverUrl,
      startedOn: record.startedOn,
      completedOn: instance,
      connectedAt: now(),
    };
    await saveConnection(stores.userOnly(record.user), connection);
    log(`authorization completed on ${instance} (started on ${record.startedOn})`);
    return c.redirect(`/servers/${connection.id}`, 303);
  });

  app.get('/servers/:id', async (c) => {
    const user = userOf(c);
    const connection = await findConnection(stores.userOnly(user), c.req.param('id'));
    if (!connection) return fail(c, 404, 'No such server among yours.');
    return page(
      c,
      connection.serverUrl,
      connectionPage(connection, await statusOf(connection, user)),
    );
  });

  app.post('/servers/:id/call', async (c) => {
    const user = userOf(c);
    const connection = await findConnection(stores.userOnly(user), c.req.param('id'));
    if (!connection) return fail(c, 404, 'No such server among yours.');
    const form = await c.req.formData();
    const tool = String(form.get('tool') ?? 'whoami');
    const oauth = oauthFor(access, user, connection.serverUrl);
    let result: { tool: string; text: string } | { tool: string; error: string };
    try {
      result = { tool, text: await callTool(oauth, tool) };
      log(`tool ${tool} called on ${instance}`);
    } catch (error) {
      result = { tool, error: describe(error) };
    }
    return page(
      c,
      connection.serverUrl,
      connectionPage(connection, await statusOf(connection, user), result),
    );
  });

  app.post('/servers/:id/disconnect', async (c) => {
    const user = userOf(c);
    const store = stores.userOnly(user);
    const connection = await findConnection(store, c.req.param('id'));
    if (!connection) return fail(c, 404, 'No such server among yours.');
    // RFC 7009: revoke the refresh and access tokens at the server, then forget them
    const { revoked, warnings } = await oauthFor(access, user, connection.serverUrl).logout();
    await deleteConnection(store, connection.id);
    log(
      `disconnected on ${instance}: revoked ${revoked.join(', ') || 'nothing'}${warnings.length ? ` (${warnings.map((w) => w.code).join(', ')})` : ''}`,
    );
    return c.redirect('/', 303);
  });

  app.notFound((c) => fail(c, 404, 'Not found.'));
  app.onError((error, c) => {
    log(`error on ${instance}: ${describe(error)}`);
    return c.html(
      layout('Error', instance, c.get('session')?.user, errorPage('Something went wrong.')),
      500,
    );
  });

  async function statusOf(connection: Connection, user: string): Promise<ConnectionStatus> {
    return connectionStatus(oauthFor(access, user, connection.serverUrl), now());
  }

  return app;
}

function parseServerUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** An error for a page or a log line: core's messages never contain secrets. */
function describe(error: unknown): string {
  if (McpOAuthError.isInstance(error)) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
