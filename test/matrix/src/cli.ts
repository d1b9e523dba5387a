import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell } from './cells.ts';
import { callWithHeader, sleep, tokensSeen } from './mcp-call.ts';
import { check, step } from './report.ts';
import type { MatrixStack } from './servers/types.ts';

/** The built CLI (its package.json `bin`) and test servers (the matrix runs what users run: build first). */
const CLI_PACKAGE = new URL('../../../packages/cli/', import.meta.url);
const CLI = fileURLToPath(
  new URL(
    (
      JSON.parse(readFileSync(new URL('package.json', CLI_PACKAGE), 'utf8')) as {
        bin: Record<string, string>;
      }
    ).bin['mcp-oauth'] ?? '',
    CLI_PACKAGE,
  ),
);
const TEST_SERVERS = fileURLToPath(
  new URL('../../../packages/testing/dist/index.js', import.meta.url),
);
const BROWSER_FETCH = fileURLToPath(new URL('./browser-fetch.mjs', import.meta.url));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A temp folder (file store, HOME) and a BROWSER program that plays the person (consent walked
 * headlessly, then the loopback callback) and counts its runs: the number of logins.
 */
async function sandbox() {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-oauth-matrix-'));
  const browser = join(dir, 'browser.mjs');
  const runs = join(dir, 'browser-runs');
  await writeFile(runs, '');
  await writeFile(
    browser,
    `#!${process.execPath}
import { appendFileSync } from 'node:fs';
import { completeAuthorization } from ${JSON.stringify(TEST_SERVERS)};
import { browserFetch } from ${JSON.stringify(BROWSER_FETCH)};
appendFileSync(${JSON.stringify(runs)}, 'x');
const callback = await completeAuthorization(process.argv[2], { fetch: browserFetch });
const response = await fetch(callback);
if (!response.ok) { process.stderr.write('callback answered ' + response.status + '\\n'); process.exit(1); }
`,
  );
  await chmod(browser, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    MCP_OAUTH_STORE: 'file',
    MCP_OAUTH_DIR: join(dir, 'store'),
    NO_COLOR: '1',
    BROWSER: browser,
  };
  return {
    logins: async () => (await readFile(runs, 'utf8')).length,
    run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill(), 45_000);
      return new Promise((resolve) =>
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        }),
      );
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Whether `Bearer <jwt>` carries an `exp` now past (false for a token that is not a JWT). */
function jwtExpired(authorization: string): boolean {
  const payload = authorization.split(' ')[1]?.split('.')[1];
  if (!payload) return false;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp?: unknown };
    return typeof exp === 'number' && exp * 1000 <= Date.now();
  } catch {
    return false;
  }
}

/** The last non-empty line of the CLI's stderr (its error message), for failure reasons. */
function why(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  // a crash: the thrown error's line, not Node's trailer
  const crash = lines.find((l) => /^\w*Error\b/.test(l));
  return `exit ${result.code}: ${crash ?? (lines.slice(-2).join(' / ') || result.stdout.trim())}`;
}

/**
 * The CLI as a person uses it: `login` (BROWSER plays the person), `test` (initialize +
 * tools/list through the SDK), a tool call with the header `header` prints (the CLI has no
 * tool-call command; a DPoP-bound token cannot be used that way, `test` covers DPoP), `test`
 * again after expiry, `login --scope ... mcp:admin` for step-up, `logout`.
 */
export async function runCli(cell: Cell, stack: MatrixStack): Promise<string> {
  const box = await sandbox();
  const { mcp } = stack;
  const notes: string[] = [];
  const secretEnv = stack.client ? { MCP_OAUTH_CLIENT_SECRET: stack.client.clientSecret } : {};
  const loginArgs = [
    'login',
    mcp.url,
    '--name',
    'cell',
    '--json',
    '--timeout',
    '20',
    ...(stack.client ? ['--client-id', stack.client.clientId] : []),
  ];
  // the first login, with the scopes the person gives for a server that names none
  const firstLoginArgs = cell.loginScopes
    ? [...loginArgs, '--scope', ...cell.loginScopes]
    : loginArgs;
  try {
    if (cell.expected === 'dpop-error') {
      await step('clear DPoP error', async () => {
        const login = await box.run(firstLoginArgs, secretEnv);
        const test = login.code === 0 ? await box.run(['test', 'cell', '--json']) : undefined;
        const failed = [login, test].find((r) => r && r.code !== 0);
        check(
          failed,
          'login and test succeeded, but the MCP server requires DPoP and its AS does not offer it',
        );
        check(/dpop/i.test(failed.stderr), `the error does not name DPoP: ${why(failed)}`);
      });
      return 'login refused with a clear DPoP error';
    }

    if (cell.expected === 'scope-error') {
      await step('clear error naming --scope', async () => {
        const login = await box.run(firstLoginArgs, secretEnv);
        check(
          login.code !== 0,
          'login succeeded, but the AS refuses an authorization without scope',
        );
        check(
          /no scope was asked for/i.test(login.stderr),
          `the error does not say why: ${why(login)}`,
        );
        check(/--scope/.test(login.stderr), `the error does not name --scope: ${why(login)}`);
      });
      return 'login refused with an error naming --scope';
    }

    await step('login', async () => {
      const result = await box.run(firstLoginArgs, secretEnv);
      check(result.code === 0, why(result));
      const out = JSON.parse(result.stdout) as { issuer?: string; resource?: string };
      check(out.issuer === stack.issuer, `issuer ${out.issuer}, expected ${stack.issuer}`);
      check((await box.logins()) === 1, `${await box.logins()} logins`);
    });
    await step('test (tools/list)', async () => {
      const result = await box.run(['test', 'cell', '--json']);
      check(result.code === 0, why(result));
      const names = (JSON.parse(result.stdout) as { tools: { name: string }[] }).tools.map(
        (t) => t.name,
      );
      check(names.includes('echo'), `tools: ${names.join(', ')}`);
    });
    const header = await step('header + tool call', async () => {
      const result = await box.run(['header', 'cell']);
      if (cell.expected === 'dpop') {
        // a DPoP-bound token needs a proof per request: header refuses it, saying why
        check(
          result.code !== 0,
          `header printed a DPoP-bound token as a fixed header: ${result.stdout.trim().split(' ')[1]}`,
        );
        check(/dpop/i.test(result.stderr), `header's refusal does not name DPoP: ${why(result)}`);
        check(mcp.stats.dpopRequests > 0, 'no request carried a DPoP proof');
        return '';
      }
      check(result.code === 0, why(result));
      let value = result.stdout.trim().replace(/^Authorization:\s*/i, '');
      const scheme = value.split(' ')[0]?.toLowerCase();
      check(scheme === 'bearer', `token type ${scheme}, expected Bearer`);
      check(mcp.stats.dpopRequests === 0, 'DPoP used at a Bearer server');
      // The cells' tokens live 2 s and `header` hands out one with up to half its life left: on
      // a loaded machine it may expire before the tool call reaches the server. That is what a
      // script meets too, and its answer is to ask `header` again (which refreshes): at most
      // twice, and only for an expiry, so any other refusal still fails the cell.
      let text: string | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          text = await callWithHeader(mcp.url, value, 'echo', { text: 'matrix' });
          break;
        } catch (error) {
          // our server says so; a server that is not ours may answer a bare 401: then the
          // token's own `exp` (JWTs here) tells whether it had expired when the call failed
          const expired =
            /['"]exp['"] claim timestamp check failed/.test(String(error)) || jwtExpired(value);
          if (!expired || attempt === 3) throw error;
          const again = await box.run(['header', 'cell']);
          check(again.code === 0, why(again));
          value = again.stdout.trim().replace(/^Authorization:\s*/i, '');
        }
      }
      check(text === 'matrix', `echo answered ${text}`);
      return value;
    });
    notes.push(
      `login, test, ${cell.expected === 'dpop' ? 'DPoP via test (header is DPoP-bound)' : 'tool call via header'}`,
    );

    if (cell.forgetClients) {
      await step('AS forgets clients', async () => {
        check(stack.oidc, 'only oidc-provider can forget clients');
        const registrationsBefore = stack.oidc.stats.registrations;
        await stack.oidc.forgetClients();
        await sleep((cell.tokenTtlSeconds ?? 0) * 1000 + 600);
        let result = await box.run(['test', 'cell', '--json']);
        if (result.code !== 0) {
          // acceptable: "log in again" (exit 3), then a login that registers anew
          check(result.code === 3, `test after the AS forgot the client: ${why(result)}`);
          const login = await box.run(firstLoginArgs);
          check(login.code === 0, `login after the AS forgot the client: ${why(login)}`);
          result = await box.run(['test', 'cell', '--json']);
          check(result.code === 0, `test after a new login: ${why(result)}`);
        }
        check(
          stack.oidc.stats.registrations === registrationsBefore + 1,
          `registered ${stack.oidc.stats.registrations - registrationsBefore} times after the AS forgot the client`,
        );
      });
      notes.push('recovered after the AS forgot the client');
    } else if (cell.tokenTtlSeconds !== undefined) {
      const ttl = cell.tokenTtlSeconds;
      await step('test after expiry', async () => {
        const before = tokensSeen(mcp.stats);
        const logins = await box.logins();
        await sleep(ttl * 1000 + 600);
        const result = await box.run(['test', 'cell', '--json']);
        check(result.code === 0, why(result));
        check((await box.logins()) === logins, 'a new login was needed after expiry');
        check(tokensSeen(mcp.stats) > before, 'no new access token after expiry');
        const refresh = await box.run(['refresh', 'cell', '--json']);
        check(refresh.code === 0, `refresh with the rotated refresh token: ${why(refresh)}`);
      });
      notes.push('refresh after expiry');
    } else {
      notes.push('expiry n/a (fixed lifetime)');
    }

    if (cell.stepUp) {
      await step('step-up (login --scope)', async () => {
        if (cell.expected === 'bearer') {
          const refused = await callWithHeader(mcp.url, header, 'admin_reset').then(
            () => 'allowed',
            (e: unknown) => String(e),
          );
          check(refused !== 'allowed', 'admin_reset allowed without mcp:admin');
        }
        const logins = await box.logins();
        const result = await box.run(
          [...loginArgs, '--scope', 'mcp:read', 'mcp:write', 'mcp:admin'],
          secretEnv,
        );
        check(result.code === 0, why(result));
        check((await box.logins()) === logins + 1, 'no login for the new scope');
        const granted = JSON.parse(result.stdout) as { scope?: string };
        check(granted.scope?.split(' ').includes('mcp:admin'), `scope ${granted.scope}`);
        if (cell.expected === 'bearer') {
          const token = await box.run(['header', 'cell']);
          check(token.code === 0, why(token));
          const value = token.stdout.trim().replace(/^Authorization:\s*/i, '');
          const text = await callWithHeader(mcp.url, value, 'admin_reset');
          check(text === 'reset', `admin_reset answered ${text}`);
        } else {
          const test = await box.run(['test', 'cell', '--json']);
          check(test.code === 0, `test after step-up: ${why(test)}`);
        }
      });
      notes.push('step-up');
    } else {
      notes.push('step-up n/a (no other scope offered)');
    }

    if ('foreign' in mcp) {
      const { foreign } = mcp;
      notes.push(await step(`${foreign.name} exercised`, async () => foreign.used()));
    }

    await step('logout', async () => {
      const result = await box.run(['logout', 'cell', '--json']);
      check(result.code === 0, why(result));
      const out = JSON.parse(result.stdout) as { revoked?: unknown; warnings?: unknown[] };
      if (cell.revocation) {
        check(
          out.revoked && (!Array.isArray(out.revoked) || out.revoked.length > 0),
          `revoked: ${JSON.stringify(out.revoked)}`,
        );
        check((out.warnings ?? []).length === 0, `warnings: ${JSON.stringify(out.warnings)}`);
      }
      const after = await box.run(['token', 'cell']);
      check(after.code === 3, `token after logout: ${why(after)}`);
    });
    notes.push(cell.revocation ? 'logout (revoked)' : 'logout (local)');
    return notes.join(', ');
  } finally {
    await box.close();
  }
}
