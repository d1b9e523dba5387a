/**
 * How a person's consent is obtained. Core never opens browsers or listens on
 * sockets: the caller supplies one of these (`@mcp-oauth/loopback` for CLIs, a
 * web app's own redirect handling, or a headless one in tests).
 */
export interface RedirectInteraction {
  kind: 'redirect';
  /** Called before the authorization request is built; returns the redirect URI to register and use. */
  prepare(): Promise<{ redirectUri: string }>;
  /** Sends the person to `authorizationUrl`; resolves with the full callback URL (code, state, iss, or error). */
  authorize(args: {
    authorizationUrl: string;
    expectedState: string;
    /** The issuer the response must name in `iss` (RFC 9207); a receiver must not display an error response that fails this check. */
    expectedIssuer?: string;
    /** True when the server advertises `iss` support, so a response without `iss` is not genuine. */
    issuerRequired?: boolean;
    signal?: AbortSignal;
  }): Promise<string>;
  /** Frees resources when the flow ends without `authorize` (errors). */
  dispose?(): Promise<void>;
}

export interface DeviceInteraction {
  kind: 'device';
  /** Shows the verification URI and user code to the person. Polling starts when it returns. */
  prompt(args: {
    verificationUri: string;
    verificationUriComplete?: string;
    userCode: string;
    expiresAt: number;
  }): void | Promise<void>;
}

export type Interaction = RedirectInteraction | DeviceInteraction;
