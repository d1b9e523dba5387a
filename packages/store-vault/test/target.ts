import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';

/**
 * Where the suites run: a real Vault when VAULT_ADDR and VAULT_TOKEN are set (KV v2
 * at VAULT_KV_MOUNT, default `secret`), else a fresh test server.
 */
export interface Target {
  readonly real: boolean;
  readonly address: string;
  readonly token: string;
  readonly mount: string;
  readonly label: string;
  readonly server: VaultServer | undefined;
  close(): Promise<void>;
}

export async function openTarget(): Promise<Target> {
  const addr = process.env.VAULT_ADDR;
  const token = process.env.VAULT_TOKEN;
  if (addr && token) {
    return {
      real: true,
      address: addr,
      token,
      mount: process.env.VAULT_KV_MOUNT ?? 'secret',
      label: `real Vault at ${addr}`,
      server: undefined,
      close: async () => {},
    };
  }
  const server = await startVaultServer();
  return {
    real: false,
    address: server.url,
    token: server.rootToken,
    mount: 'secret',
    label: 'test server',
    server,
    close: () => server.close(),
  };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk Vault's JSON answers freely
  body: any;
}

/** A raw Vault call (for setup and inspection), with the given token. */
export async function vaultCall(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Deletes everything under `<mount>/<folder>/` (metadata delete, recursively). */
export async function purge(target: Target, folder: string): Promise<void> {
  const listed = await vaultCall(
    target.address,
    target.token,
    'GET',
    `${target.mount}/metadata/${folder}/?list=true`,
  );
  if (listed.status !== 200) return;
  for (const name of listed.body.data.keys as string[]) {
    if (name.endsWith('/')) await purge(target, `${folder}/${name.slice(0, -1)}`);
    else
      await vaultCall(
        target.address,
        target.token,
        'DELETE',
        `${target.mount}/metadata/${folder}/${name}`,
      );
  }
}
