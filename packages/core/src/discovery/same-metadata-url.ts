/**
 * Whether a challenge's `resource_metadata` names the protected resource metadata document
 * kept from discovery. Both are compared in the form discovery stores (`new URL(url,
 * serverUrl).href`, protected-resource.ts), so the same URL written differently (upper-case
 * scheme or host, an explicit default port, `.` segments, a relative reference) is the same
 * document, not a move. A URL that does not parse, or no stored URL (MCP 2025-03-26
 * discovery), matches nothing.
 */
export function sameMetadataUrl(
  fromChallenge: string,
  stored: string | undefined,
  serverUrl: string,
): boolean {
  try {
    return !!stored && new URL(fromChallenge, serverUrl).href === new URL(stored, serverUrl).href;
  } catch {
    return false;
  }
}
