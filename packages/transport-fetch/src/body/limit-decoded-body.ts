import { Response as UndiciResponse } from 'undici';
import { BodyTooLargeSignal } from './signals.ts';

/**
 * Reads a compressed response whole, as `undici.fetch` decodes it, counting the decoded
 * bytes against `maxBytes`: the buffering interceptor saw only the bytes on the wire, and a
 * small compressed body may expand far past the limit (a decompression bomb). Stops reading at
 * the limit. A body that fails to decode rejects here, while `send` knows the phase.
 */
export async function limitDecodedBody(
  response: UndiciResponse,
  maxBytes: number,
): Promise<Response> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeSignal(maxBytes, received);
    }
    chunks.push(value);
  }
  const decoded = new UndiciResponse(Buffer.concat(chunks), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(decoded, 'url', { value: response.url });
  if (response.redirected) Object.defineProperty(decoded, 'redirected', { value: true });
  return decoded as unknown as Response;
}
