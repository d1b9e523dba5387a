import { McpOAuthError } from '../errors/error.ts';

/**
 * Reads a response body up to `maxBytes`, cancelling the stream as soon as it
 * grows past the limit, so an endless or huge body is cut off without buffering it.
 */
export async function readLimited(
  response: Response,
  maxBytes: number,
  url: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(url, maxBytes);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(url: string, maxBytes: number): McpOAuthError {
  return new McpOAuthError(
    'response_too_large',
    `The response from ${url} is larger than ${maxBytes} bytes; it was cut off. OAuth metadata and token responses are small: check the URL, or raise maxResponseBytes if the server is right.`,
    { details: { url, maxBytes } },
  );
}
