import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from './helpers.ts';

const WITH_KEYRING = fileURLToPath(
  new URL('../../store-keychain/scripts/with-keyring.sh', import.meta.url),
);
const hasKeyring = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
})();

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

describe('store selection', () => {
  it('a file store folder that cannot be created: stores says so, and commands name the folder and --dir', async () => {
    // HOME is a file: the default folder (~/.local/share/mcp-oauth) cannot be made, as on a
    // read-only or foreign HOME
    const home = join(box.dir, 'home-is-a-file');
    await writeFile(home, '');
    const env = { HOME: home, MCP_OAUTH_DIR: '', MCP_OAUTH_STORE: '' };
    const listed = await box.run(['stores', '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const file = JSON.parse(listed.stdout).backends.find(
      (b: { kind: string }) => b.kind === 'file',
    );
    expect(file).toMatchObject({ available: false, inUse: true });
    expect(file.detail).toContain('--dir');

    const list = await box.run(['list'], { env });
    expect(list.code).toBe(5);
    expect(list.stderr).toContain(join(home, '.local', 'share', 'mcp-oauth'));
    expect(list.stderr).toContain('--dir <folder>');
    expect(list.stderr).not.toContain('`directory`');
  });

  it('a namespace the file store refuses: the rule, and --namespace (not the library option)', async () => {
    const list = await box.run(['--namespace', 'bad name', 'list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain(
      'A namespace is 1 to 128 letters, digits and . _ @ + - (not starting with a dot): give one with --namespace <name> (or MCP_OAUTH_NAMESPACE).',
    );
    expect(list.stderr).not.toMatch(/fileStore|`namespace`/);
  });

  it('--store keychain without a session bus: stores says it is selected but unavailable, not in use', async () => {
    const result = await box.run(['--store', 'keychain', 'stores'], {
      env: { DBUS_SESSION_BUS_ADDRESS: '' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\* keychain\s+unavailable/m);
    expect(result.stdout).toContain(
      'Selected: keychain, unavailable here: commands will fail until it is (see above), or choose another with --store (or MCP_OAUTH_STORE).',
    );
    expect(result.stdout).not.toContain('In use: keychain');
  });

  it('without a session bus, auto uses the file store and stores says why', async () => {
    const env = { MCP_OAUTH_STORE: '' };
    const result = await box.run(['stores', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const stores = JSON.parse(result.stdout);
    expect(stores).toMatchObject({ selected: 'auto', inUse: 'file' });
    expect(stores.backends).toContainEqual(
      expect.objectContaining({ kind: 'keychain', available: false, inUse: false }),
    );
    expect(stores.backends).toContainEqual(
      expect.objectContaining({ kind: 'file', available: true, inUse: true }),
    );
    expect((await box.run(['login', stack.mcp.url, '--name', 'auto'], { env })).code).toBe(0);
    const shown = JSON.parse((await box.run(['--store', 'auto', 'show', 'auto', '--json'])).stdout);
    expect(shown.store).toMatch(/^file \(/);
  });

  it('vault is not a CLI store: a usage error that names the library package', async () => {
    const flag = await box.run(['--store', 'vault', 'list']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('@mcp-oauth/store-vault');
    const env = await box.run(['list'], { env: { MCP_OAUTH_STORE: 'vault' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('@mcp-oauth/store-vault');
    // redis is one (redis-store.test.ts): without its settings, a usage error that names them
    const redis = await box.run(['list'], { env: { MCP_OAUTH_STORE: 'redis' } });
    expect(redis.code).toBe(2);
    expect(redis.stderr).toContain('MCP_OAUTH_REDIS_URL');
  });

  it.skipIf(!hasKeyring)(
    'in a real GNOME Keyring session: auto picks the keychain; migrate moves the tokens from the file store',
    async () => {
      const out = join(box.dir, 'keyring-run');
      const cli = `"${process.execPath}" "${CLI}"`;
      const script = join(box.dir, 'scenario.sh');
      await writeFile(
        script,
        `mkdir -p "${out}"
step() { name=$1; shift; "$@" > "${out}/$name.out" 2> "${out}/$name.err"; echo $? > "${out}/$name.code"; }
export MCP_OAUTH_STORE=
export MCP_OAUTH_DIR="${box.dir}/keyring-file-store"
step stores ${cli} stores --json
step login ${cli} --store file login ${stack.mcp.url} --name kc
step migrate ${cli} migrate --from file --to keychain --json
step token ${cli} --store keychain token kc
step filelist ${cli} --store file list --json
step autolist ${cli} list --json
step again ${cli} migrate --from keychain --to file --keep --json
step conflict ${cli} migrate --from keychain --to file
`,
      );
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('sh', [WITH_KEYRING, 'sh', script], { env: box.env, stdio: 'ignore' });
        child.on('close', resolve);
      });
      expect(code).toBe(0);
      const read = (name: string) => readFile(join(out, `${name}.out`), 'utf8');
      const codeOf = async (name: string) =>
        Number((await readFile(join(out, `${name}.code`), 'utf8')).trim());
      for (const step of ['stores', 'login', 'migrate', 'token', 'filelist', 'autolist', 'again']) {
        expect(
          await codeOf(step),
          `${step}: ${await readFile(join(out, `${step}.err`), 'utf8')}`,
        ).toBe(0);
      }
      expect(JSON.parse(await read('stores'))).toMatchObject({
        selected: 'auto',
        inUse: 'keychain',
      });
      const migrated = JSON.parse(await read('migrate'));
      expect(migrated.to).toMatch(/^keychain/);
      expect(migrated.moved).toEqual(
        expect.arrayContaining([
          'alias:kc',
          expect.stringMatching(/^tokens:/),
          expect.stringMatching(/^client:/),
        ]),
      );
      const token = (await read('token')).trim();
      expect(token.split('.')).toHaveLength(3);
      expect(JSON.parse(await read('filelist'))).toEqual([]);
      expect(JSON.parse(await read('autolist'))).toEqual([
        expect.objectContaining({
          name: 'kc',
          state: 'valid',
          store: expect.stringMatching(/^keychain/),
        }),
      ]);
      expect(await codeOf('conflict')).toBe(1);
    },
  );
});
