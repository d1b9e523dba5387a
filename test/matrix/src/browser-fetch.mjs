// The person's browser, for `completeAuthorization`'s walk: a top-level navigation over
// node:http. Node's fetch always sends `sec-fetch-mode: cors`, and some authorization servers
// (better-auth) answer such requests with JSON meant for their own pages' scripts instead of a
// redirect. Plain JavaScript so that the CLI's BROWSER program can import it as is.
import { request } from 'node:http';

const NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

/** A `fetch` (http: only, no redirects followed) that sends what a browser's navigation sends. */
export function browserFetch(input, init = {}) {
  const url = new URL(String(input));
  const headers = { ...NAVIGATION, ...Object.fromEntries(new Headers(init.headers)) };
  const body = init.body === undefined || init.body === null ? undefined : String(init.body);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : [value ?? '']) out.append(name, v);
        }
        const status = res.statusCode ?? 500;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(payload, { status, headers: out }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
