import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import { defaultDirectory } from '../src/default-directory.ts';
import { type FileStoreOptions, fileStore } from '../src/index.ts';

function configError(options: unknown): McpOAuthError | undefined {
  try {
    fileStore(options as FileStoreOptions);
  } catch (error) {
    return McpOAuthError.is(error, 'invalid_configuration') ? error : undefined;
  }
  return undefined;
}

describe('options', () => {
  it.each([
    ['a non-object', 'nope'],
    ['an empty directory', { directory: '' }],
    ['a namespace with a slash', { namespace: 'a/b' }],
    ['a namespace with ..', { namespace: '..' }],
    ['a namespace starting with a dot', { namespace: '.hidden' }],
    ['an empty namespace', { namespace: '' }],
    ['a 129-character namespace', { namespace: 'n'.repeat(129) }],
    ['an unknown key source', { keySource: { kind: 'env' } }],
    ['an empty passphrase', { keySource: { kind: 'passphrase', passphrase: '' } }],
    ['a 16-byte key', { keySource: { kind: 'key', key: new Uint8Array(16) } }],
    ['a key given as a string', { keySource: { kind: 'key', key: 'k'.repeat(32) } }],
    ['an empty key file path', { keySource: { kind: 'keyfile', path: '' } }],
    ['an unknown permission policy', { insecurePermissions: 'ignore' }],
  ])('rejects %s with invalid_configuration', (_name, options) => {
    expect(configError(options)).toBeDefined();
  });

  it('never puts the passphrase or key in a configuration error', () => {
    const error = configError({
      keySource: { kind: 'key', key: new TextEncoder().encode('super-secret-key-material') },
    });
    expect(error?.message).not.toContain('super-secret');
  });

  it('accepts namespaces that look like tenant ids', () => {
    expect(
      configError({ directory: '/tmp/x', namespace: 'tenant_42@example.com' }),
    ).toBeUndefined();
  });

  it('describes itself by folder and namespace, without secrets', () => {
    const store = fileStore({
      directory: '/tmp/store-x',
      namespace: 'team',
      keySource: { kind: 'passphrase', passphrase: 'hunter2' },
    });
    expect(store.description).toBe('file (/tmp/store-x, namespace team)');
    expect(fileStore({ directory: '/tmp/store-x' }).description).toBe('file (/tmp/store-x)');
  });
});

describe('default directory', () => {
  it('uses $XDG_DATA_HOME on Linux when absolute, else ~/.local/share', () => {
    expect(defaultDirectory({ XDG_DATA_HOME: '/data' }, 'linux', '/home/me')).toBe(
      '/data/mcp-oauth',
    );
    expect(defaultDirectory({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/me')).toBe(
      '/home/me/.local/share/mcp-oauth',
    );
    expect(defaultDirectory({}, 'freebsd', '/home/me')).toBe('/home/me/.local/share/mcp-oauth');
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(defaultDirectory({}, 'darwin', '/Users/me')).toBe(
      '/Users/me/Library/Application Support/mcp-oauth',
    );
    const win = defaultDirectory(
      { APPDATA: '/C/Users/me/AppData/Roaming' },
      'win32',
      '/C/Users/me',
    );
    expect(win.replaceAll('\\', '/')).toBe('/C/Users/me/AppData/Roaming/mcp-oauth');
  });

  it('is what fileStore() uses when no directory is given', () => {
    const previous = process.env.XDG_DATA_HOME;
    process.env.XDG_DATA_HOME = '/tmp/xdg-test';
    try {
      if (process.platform === 'linux')
        expect(fileStore().description).toBe('file (/tmp/xdg-test/mcp-oauth)');
    } finally {
      if (previous === undefined) delete process.env.XDG_DATA_HOME;
      else process.env.XDG_DATA_HOME = previous;
    }
  });

  it('rejects a record that is not a JSON object', async () => {
    const { tempDir } = await import('./helpers/temp-dir.ts');
    const d = await tempDir();
    try {
      const store = fileStore({ directory: d.path });
      const circular: Record<string, unknown> = { v: 1 };
      circular.self = circular;
      for (const bad of [null, [1, 2], 'text', circular, { big: 10n }]) {
        const error = await store.set('k', bad as never).catch((e: unknown) => e);
        expect(McpOAuthError.is(error, 'invalid_configuration'), String(bad)).toBe(true);
      }
      expect(await store.list()).toEqual([]);
    } finally {
      await d.remove();
    }
  });
});
