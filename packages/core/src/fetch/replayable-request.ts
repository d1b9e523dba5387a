/** A request whose body can be sent more than once (for the 401 and step-up replays). */
export interface ReplayableRequest {
  url: string;
  init: RequestInit;
}

/** Buffers the body of `input`/`init` so the request can be replayed. */
export async function toReplayable(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<ReplayableRequest> {
  if (input instanceof Request) {
    const body = input.body ? await input.arrayBuffer() : undefined;
    const merged: RequestInit = {
      method: input.method,
      headers: new Headers(input.headers),
      ...(body ? { body } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      redirect: input.redirect,
      ...init,
    };
    if (init?.headers) merged.headers = new Headers(init.headers);
    return { url: input.url, init: await bufferBody(merged) };
  }
  return { url: String(input), init: await bufferBody({ ...init }) };
}

async function bufferBody(init: RequestInit): Promise<RequestInit> {
  const body = init.body;
  if (body instanceof ReadableStream) {
    init.body = await new Response(body).arrayBuffer();
    delete (init as { duplex?: unknown }).duplex;
  }
  return init;
}

/** The request with an Authorization header set (a copy: the caller's headers are not touched). */
export function withAuthorization(
  request: ReplayableRequest,
  value: string | undefined,
): RequestInit {
  const given = request.init.headers;
  if (given === undefined || isPlainRecord(given)) {
    // the hot path (the MCP SDK passes plain objects): a copy without any Authorization spelling
    const headers: Record<string, string> = {};
    for (const name in given)
      if (name.toLowerCase() !== 'authorization') headers[name] = given[name] as string;
    if (value) headers.authorization = value;
    return { ...request.init, headers };
  }
  const headers = new Headers(given);
  if (value) headers.set('authorization', value);
  else headers.delete('authorization');
  return { ...request.init, headers };
}

function isPlainRecord(value: HeadersInit): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
