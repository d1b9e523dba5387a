import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
import { completeAuthorization } from '@mcp-oauth/testing';
import { browserFetch } from './browser-fetch.mjs';
import type { Cell } from './cells.ts';
import { connectSdk, sleep, textOf, tokensSeen } from './mcp-call.ts';
import { check, step } from './report.ts';
import type { MatrixStack } from './servers/types.ts';

/**
 * The library as an application uses it: `createOAuthClient` with DPoP support on (what the
 * CLI passes too), the official SDK `Client` over `StreamableHTTPClientTransport` with
 * `fetch: oauth.fetch`, a redirect interaction played headlessly. Returns what was checked.
 */
export async function runLibrary(cell: Cell, stack: MatrixStack): Promise<string> {
  const notes: string[] = [];
  let authorizations = 0;
  const { mcp } = stack;
  const oauth = createOAuthClient({
    serverUrl: mcp.url,
    store: memoryStore(),
    interaction: {
      kind: 'redirect',
      prepare: async () => ({ redirectUri: 'http://127.0.0.1:1/callback' }),
      authorize: async ({ authorizationUrl }) => {
        authorizations += 1;
        return completeAuthorization(authorizationUrl, { fetch: browserFetch });
      },
    },
    ...(stack.client ? { client: stack.client } : {}),
    ...(cell.loginScopes ? { scopes: cell.loginScopes } : {}),
    dpop: dpop(),
  });

  if (cell.expected === 'dpop-error') {
    const error = await connectSdk(mcp.url, { fetch: oauth.fetch }).then(
      async (sdk) => {
        await sdk.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    await step('clear DPoP error', async () => {
      check(error, 'connected, but the MCP server requires DPoP and its AS does not offer it');
      const message = error instanceof Error ? error.message : String(error);
      check(/dpop/i.test(message), `the error does not name DPoP: ${message}`);
    });
    return `login refused with a clear DPoP error`;
  }

  if (cell.expected === 'scope-error') {
    const error = await connectSdk(mcp.url, { fetch: oauth.fetch }).then(
      async (sdk) => {
        await sdk.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    await step('clear error naming the scopes option', async () => {
      check(error, 'connected, but the AS refuses an authorization without scope');
      const message = error instanceof Error ? error.message : String(error);
      check(/no scope was asked for/i.test(message), `the error does not say why: ${message}`);
      check(
        /`scopes` option/.test(message),
        `the error does not name the scopes option: ${message}`,
      );
    });
    return 'login refused with an error naming the scopes option';
  }

  const sdk = await step('login', async () => {
    const client = await connectSdk(mcp.url, { fetch: oauth.fetch });
    check(authorizations === 1, `${authorizations} authorizations for the first connect`);
    return client;
  });
  try {
    await step('list tools', async () => {
      const { tools } = await sdk.listTools();
      const names = tools.map((t) => t.name);
      // a server that hides tools the token may not call lists admin_reset only after step-up
      const expected = cell.adminTool === 'hidden' ? ['echo'] : ['echo', 'admin_reset'];
      check(
        expected.every((name) => names.includes(name)),
        `tools: ${names.join(', ')}`,
      );
    });
    await step('tool call', async () => {
      const text = textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'matrix' } }));
      check(text === 'matrix', `echo answered ${text}`);
    });
    await step(`token type ${cell.expected}`, async () => {
      const dpopRequests = mcp.stats.dpopRequests;
      if (cell.expected === 'dpop') check(dpopRequests > 0, 'no request carried a DPoP proof');
      else check(dpopRequests === 0, `${dpopRequests} requests used DPoP at a Bearer server`);
    });
    notes.push(`login, tools/list, tools/call (${cell.expected})`);

    if (cell.forgetClients) {
      await step('AS forgets clients', async () => {
        check(stack.oidc, 'only oidc-provider can forget clients');
        const registrationsBefore = stack.oidc.stats.registrations;
        const forgotten = await stack.oidc.forgetClients();
        check(forgotten.length === 1, `${forgotten.length} clients forgotten`);
        await sleep((cell.tokenTtlSeconds ?? 0) * 1000 + 600);
        const text = textOf(await sdk.callTool({ name: 'add', arguments: { a: 2, b: 3 } }));
        check(text === '5', `add answered ${text}`);
        check(
          stack.oidc.stats.registrations === registrationsBefore + 1,
          `registered ${stack.oidc.stats.registrations - registrationsBefore} times after the AS forgot the client`,
        );
      });
      notes.push('recovered after the AS forgot the client');
    } else if (cell.tokenTtlSeconds !== undefined) {
      const ttl = cell.tokenTtlSeconds;
      await step('call after expiry', async () => {
        const before = tokensSeen(mcp.stats);
        const authorizationsBefore = authorizations;
        await sleep(ttl * 1000 + 600);
        const text = textOf(await sdk.callTool({ name: 'add', arguments: { a: 2, b: 3 } }));
        check(text === '5', `add answered ${text}`);
        check(authorizations === authorizationsBefore, 'a new login was needed after expiry');
        check(tokensSeen(mcp.stats) > before, 'no new access token after expiry');
        // the rotated refresh token was kept: one more refresh works
        await oauth.refresh();
      });
      notes.push('refresh after expiry');
    } else {
      notes.push('expiry n/a (fixed lifetime)');
    }

    if (cell.stepUp && cell.adminTool) {
      // no 403 challenge names the scope: the application logs in again with it (the CLI cell
      // does, with login --scope); here, the refusal itself is checked
      await step('admin tool refused', async () => {
        const refused = await sdk
          .callTool({ name: 'admin_reset', arguments: {} })
          .then(textOf)
          .then(
            (text) => (text === 'reset' ? undefined : text),
            (e: unknown) => String(e),
          );
        check(refused, 'admin_reset allowed without mcp:admin');
        // refused for its scope (a tool error naming it), or unknown (hidden): not any failure
        const why = cell.adminTool === 'hidden' ? /unknown tool|not found/i : /scope/i;
        check(why.test(refused), `admin_reset failed, but not as refused: ${refused}`);
      });
      notes.push(`step-up n/a (admin tool ${cell.adminTool}, no 403 challenge)`);
    } else if (cell.stepUp) {
      await step('step-up', async () => {
        const before = authorizations;
        const text = textOf(await sdk.callTool({ name: 'admin_reset', arguments: {} }));
        check(text === 'reset', `admin_reset answered ${text}`);
        check(
          authorizations === before + 1,
          `${authorizations - before} authorizations for step-up`,
        );
      });
      notes.push('step-up');
    } else {
      notes.push('step-up n/a (no other scope offered)');
    }
    if ('foreign' in mcp) {
      const { foreign } = mcp;
      notes.push(await step(`${foreign.name} exercised`, async () => foreign.used()));
    }
  } finally {
    await sdk.close();
  }

  await step('logout', async () => {
    const result = await oauth.logout();
    if (cell.revocation) {
      check(result.revoked.length > 0, 'nothing revoked');
      check(
        result.warnings.length === 0,
        `warnings: ${result.warnings.map((w) => w.message).join('; ')}`,
      );
    }
    check((await oauth.status()) === undefined, 'tokens still stored after logout');
  });
  notes.push(cell.revocation ? 'logout (revoked)' : 'logout (local)');
  return notes.join(', ');
}
