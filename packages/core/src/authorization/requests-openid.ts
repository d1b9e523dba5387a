/** OpenID Connect: `openid` in the scope asks for an ID token (and so a `nonce` is sent). */
export function requestsOpenId(scope: string | undefined): boolean {
  return scope?.split(' ').includes('openid') === true;
}
