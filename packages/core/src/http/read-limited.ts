import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';

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
  return new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
}

function tooLarge(url: string, maxBytes: number): McpOAuthError {
  return new McpOAuthError(
    'response_too_large',
    `The response from ${url} exceeds ${maxBytes} bytes (cut off): check the URL. If it is legitimate, raise the \`maxResponseBytes\` option.`,
    { details: { url, maxBytes, option: 'maxResponseBytes' satisfies OptionNamedByErrors } },
  );
}
