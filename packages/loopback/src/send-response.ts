import type { ServerResponse } from 'node:http';

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'",
} as const;

/**
 * Answers a request with `body`: an HTML page (with `PAGE_HEADERS`: no caching, no referrer,
 * no framing, no script) or plain text; `close` ends the connection after it.
 */
export function sendResponse(
  res: ServerResponse,
  status: number,
  body: string,
  html: boolean,
  close = false,
): Promise<void> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = html
      ? { ...PAGE_HEADERS }
      : { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
    if (close) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(body, () => resolve());
  });
}
