/**
 * The MCP DPoP profile's `content_digest` claim: the RFC 9530 Content-Digest value of the
 * raw request body, `sha-256=:<standard base64 of SHA-256(body)>:`. A request without a
 * body is digested over zero bytes. `body` is the buffered body of a replayable request,
 * so nothing is read from the caller's stream here.
 */
export async function contentDigest(body: BodyInit | null | undefined): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', await new Response(body).arrayBuffer());
  return `sha-256=:${btoa(String.fromCharCode(...new Uint8Array(hash)))}:`;
}
