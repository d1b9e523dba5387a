import { request as httpRequest } from 'node:http';

export interface Call {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk Vault's JSON answers freely
  body: any;
}

/** One HTTP call to the test server; `method` may be Vault's custom `LIST`. */
export function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; namespace?: string; body?: unknown } = {},
): Promise<Call> {
  const url = new URL(path, base);
  const text = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (options.token) headers['X-Vault-Token'] = options.token;
  if (options.namespace) headers['X-Vault-Namespace'] = options.namespace;
  if (text) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: raw === '' ? undefined : JSON.parse(raw) });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}
