import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('cli', () => {
  it('starts a shared server and prints its url and root token as JSON', async () => {
    const child = spawn(process.execPath, [cli, '--root-token', 'hvs.shared-root'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const info = JSON.parse(chunk.toString('utf8')) as { url: string; rootToken: string };
      expect(info.rootToken).toBe('hvs.shared-root');
      const look = await call(info.url, 'GET', '/v1/auth/token/lookup-self', {
        token: info.rootToken,
      });
      expect(look.body.data.policies).toEqual(['root']);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
