/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05): the server's first event on the GET stream,
 * `event: endpoint`, names the URL the client must POST its messages to, and that URL need not
 * lie under the resource's path (the SDK's own examples serve GET /sse and POST /messages).
 * The server announced it on a stream the token opened, on the same origin (the SDK's client
 * checks the same), so it belongs to the same protected resource.
 */

/** Longest prefix of a stream read while looking for the endpoint event. */
const SCAN_LIMIT = 16 * 1024;

/**
 * The URL of the first `endpoint` event in `text` (an SSE stream's beginning), resolved
 * against `base`; undefined when `text` holds no complete endpoint event yet.
 */
export function endpointEventUrl(text: string, base: string): URL | undefined {
  for (const block of text.replaceAll('\r\n', '\n').split('\n\n').slice(0, -1)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event !== 'endpoint') continue;
    try {
      return new URL(data.join('\n'), base);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * `response` unchanged for its reader, with its first bytes scanned for an `endpoint` event;
 * `onEndpoint` receives its URL (origin and path) when it is on `requestUrl`'s origin.
 */
export function watchEndpointEvent(
  response: Response,
  requestUrl: string,
  onEndpoint: (url: string) => void,
): Response {
  if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
    return response;
  }
  const decoder = new TextDecoder();
  let seen = '';
  let scanning = true;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        if (!scanning) return;
        seen += decoder.decode(chunk, { stream: true });
        const url = endpointEventUrl(seen, requestUrl);
        if (url) {
          scanning = false;
          if (url.origin === new URL(requestUrl).origin) onEndpoint(`${url.origin}${url.pathname}`);
        } else if (seen.length > SCAN_LIMIT) {
          scanning = false;
        }
      },
    }),
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
