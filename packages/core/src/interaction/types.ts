import type { FlowContext } from '../flow/context.ts';
import type { DeviceAuthorization } from '../grants/device-authorization.ts';
import type { GrantArgs } from '../grants/grant-args.ts';
import type { TokensRecord } from '../store/records.ts';

/**
 * How authorization is obtained. Core never opens browsers or listens on sockets:
 * the caller supplies one of these, or several in order of preference (the first
 * whose grant the authorization server supports is used):
 * - a redirect interaction (`@mcp-oauth/loopback` for CLIs, `headlessInteraction`,
 *   or a web app's own), for the authorization code grant;
 * - `deviceInteraction({ prompt })`, for the device authorization grant (RFC 8628);
 * - `clientCredentials()`, for machines: no person, the client's own credentials.
 * The device and client credentials grants live in their factories' modules, so an
 * application that never imports them does not bundle them.
 */
export type Interaction = RedirectInteraction | DeviceInteraction | ClientCredentialsInteraction;

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

export interface DevicePrompt {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresAt: number;
}

export interface DeviceInteraction {
  kind: 'device';
  /** Shows the verification URI and user code to the person. Polling starts when it returns. */
  prompt(args: DevicePrompt): void | Promise<void>;
  /** The grant's implementation (set by `deviceInteraction`). */
  readonly grant: DeviceGrant;
}

export interface ClientCredentialsInteraction {
  kind: 'client-credentials';
  /** The grant's implementation (set by `clientCredentials`). */
  readonly grant: ClientCredentialsGrant;
}

export interface DeviceGrant {
  readonly grantType: string;
  request(ctx: FlowContext, args: GrantArgs): Promise<DeviceAuthorization>;
  poll(ctx: FlowContext, args: GrantArgs & { device: DeviceAuthorization }): Promise<TokensRecord>;
}

export interface ClientCredentialsGrant {
  readonly grantType: string;
  token(ctx: FlowContext, args: GrantArgs): Promise<TokensRecord>;
}

/** The OAuth grant type an interaction obtains tokens with. */
export function grantTypeOf(interaction: Interaction): string {
  return interaction.kind === 'redirect' ? 'authorization_code' : interaction.grant.grantType;
}
