import type { FlowContext } from '../flow/context.ts';
import type { DeviceAuthorization } from '../grants/device-authorization.ts';
import type { GrantArgs } from '../grants/grant-args.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { TokensRecord } from '../store/records.ts';

/**
 * How authorization is obtained. Core never opens browsers or listens on sockets:
 * the caller supplies one of these, or several in order of preference (the first
 * whose grant the authorization server supports is used):
 * - a redirect interaction (`@mcp-oauth/loopback` for CLIs, `headlessInteraction`,
 *   or a web app's own), for the authorization code grant;
 * - `deviceInteraction({ prompt })`, for the device authorization grant (RFC 8628);
 * - `clientCredentials()`, for machines: no person, the client's own credentials;
 * - `enterpriseManaged({ idp, ... })` (`@mcp-oauth/core/enterprise`): the user's enterprise
 *   IdP vouches for them (SEP-990: an ID-JAG by RFC 8693 token exchange, then RFC 7523);
 * - `workloadIdentity({ token })` (`@mcp-oauth/core/workload`): the platform's token for a
 *   workload, presented as an RFC 7523 JWT bearer assertion.
 * Every grant but the authorization code lives in its factory's module, so an application
 * that never imports it does not bundle it.
 */
export type Interaction = RedirectInteraction | DeviceInteraction | TokenInteraction;

/** An interaction that needs no person: its grant returns tokens at once. */
export type TokenInteraction =
  | ClientCredentialsInteraction
  | EnterpriseManagedInteraction
  | WorkloadIdentityInteraction;

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

export interface ClientCredentialsInteraction extends TokenInteractionBase {
  kind: 'client-credentials';
}

/** Enterprise-managed authorization (SEP-990), from `enterpriseManaged()`. */
export interface EnterpriseManagedInteraction extends TokenInteractionBase {
  kind: 'enterprise-managed';
}

/** Workload identity federation (RFC 7523 JWT bearer), from `workloadIdentity()`. */
export interface WorkloadIdentityInteraction extends TokenInteractionBase {
  kind: 'workload-identity';
}

interface TokenInteractionBase {
  /** The grant's implementation (set by the factory). */
  readonly grant: TokenGrant;
  /**
   * Why this interaction cannot be used with `config` (e.g. it needs a pre-registered
   * client), or undefined when it can. An unusable one is skipped in favour of the next.
   */
  unusable?(config: ClientConfig): string | undefined;
}

export interface DeviceGrant {
  readonly grantType: string;
  request(ctx: FlowContext, args: GrantArgs): Promise<DeviceAuthorization>;
  poll(ctx: FlowContext, args: GrantArgs & { device: DeviceAuthorization }): Promise<TokensRecord>;
}

/** A grant that needs no person: one call to the token endpoint (or a few) returns tokens. */
export interface TokenGrant {
  readonly grantType: string;
  token(ctx: FlowContext, args: GrantArgs): Promise<TokensRecord>;
}

/** The client credentials grant's implementation. */
export type ClientCredentialsGrant = TokenGrant;

/** The OAuth grant type an interaction obtains tokens with. */
export function grantTypeOf(interaction: Interaction): string {
  return interaction.kind === 'redirect' ? 'authorization_code' : interaction.grant.grantType;
}
