import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { dispatch } from './dispatch.ts';
import type { ServerState } from './state.ts';

/**
 * Node's HTTP parser rejects Vault's custom `LIST` verb before any handler runs.
 * This answers such requests from the raw bytes the parser kept, so clients that
 * send `LIST` (node-vault's default `list()`, curl --request LIST) work. Bodiless,
 * one request per connection (the answer closes it).
 */
export function answerListVerb(
  state: ServerState,
  error: Error & { code?: string; rawPacket?: Buffer },
  socket: Socket,
): boolean {
  const raw = error.rawPacket?.toString('latin1');
  if (error.code !== 'HPE_INVALID_METHOD' || !raw?.startsWith('LIST ')) return false;
  const headEnd = raw.indexOf('\r\n\r\n');
  const lines = raw.slice(0, headEnd === -1 ? undefined : headEnd).split('\r\n');
  const [, url = '/'] = (lines[0] ?? '').split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const reply = dispatch(state, { method: 'LIST', url, headers, bodyText: '' });
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  socket.end(
    `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${text}`,
  );
  return true;
}
