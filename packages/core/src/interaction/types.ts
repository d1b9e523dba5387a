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
 *
 * @example
 * ```ts
 * import { createOAuthClient, type Interaction } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * // Prefer client credentials; fall back to the device flow where the server lacks that grant.
 * const interaction: Interaction[] = [
 *   clientCredentials(),
 *   deviceInteraction({ prompt: ({ verificationUri, userCode }) => console.error(verificationUri, userCode) }),
 * ];
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', interaction });
 * ```
 */
export type Interaction = RedirectInteraction | DeviceInteraction | TokenInteraction;

/**
 * An interaction that needs no person: its grant returns tokens at once.
 *
 * @example
 * ```ts
 * import type { TokenInteraction } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 *
 * const machine: TokenInteraction = clientCredentials();
 * console.log(machine.kind, machine.grant.grantType); // client-credentials client_credentials
 * ```
 */
export type TokenInteraction =
  | ClientCredentialsInteraction
  | EnterpriseManagedInteraction
  | WorkloadIdentityInteraction;

/**
 * The authorization code grant's interaction (RFC 6749 §4.1, with PKCE): it chooses the
 * redirect URI and brings the person to the authorization URL and back. `@mcp-oauth/loopback`
 * and `headlessInteraction` (`@mcp-oauth/core/flow`) implement it; a web app can implement its own.
 *
 * @example
 * ```ts
 * import type { RedirectInteraction } from '@mcp-oauth/core';
 *
 * declare function openBrowserAndWaitForCallback(url: string, signal?: AbortSignal): Promise<string>;
 *
 * const interaction: RedirectInteraction = {
 *   kind: 'redirect',
 *   prepare: async () => ({ redirectUri: 'https://app.example.com/oauth/callback' }),
 *   authorize: ({ authorizationUrl, signal }) => openBrowserAndWaitForCallback(authorizationUrl, signal),
 * };
 * ```
 */
export interface RedirectInteraction {
  /** Always `redirect`. */
  kind: 'redirect';
  /** Called before the authorization request is built; returns the redirect URI to register and use. */
  prepare(): Promise<{
    /** The redirect URI (e.g. `http://127.0.0.1:<port>/callback`, or the web app's callback URL). */
    redirectUri: string;
  }>;
  /** Sends the person to `authorizationUrl`; resolves with the full callback URL (code, state, iss, or error). */
  authorize(args: {
    /** The authorization request URL to send the person to. */
    authorizationUrl: string;
    /** The `state` the callback must carry (core checks it too). */
    expectedState: string;
    /** The issuer the response must name in `iss` (RFC 9207); a receiver must not display an error response that fails this check. */
    expectedIssuer?: string;
    /** True when the server advertises `iss` support, so a response without `iss` is not genuine. */
    issuerRequired?: boolean;
    /** Aborted when the flow is abandoned; stop waiting and free resources. */
    signal?: AbortSignal;
  }): Promise<string>;
  /** Frees resources when the flow ends without `authorize` (errors). */
  dispose?(): Promise<void>;
}

/**
 * What to show the person in the device flow (RFC 8628 §3.3).
 *
 * @example
 * ```ts
 * import type { DevicePrompt } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * const prompt = ({ verificationUri, verificationUriComplete, userCode, expiresAt }: DevicePrompt) => {
 *   const minutes = Math.round((expiresAt - Date.now()) / 60_000);
 *   console.error(`Open ${verificationUriComplete ?? verificationUri} and enter ${userCode} (${minutes} min)`);
 * };
 * const interaction = deviceInteraction({ prompt });
 * ```
 */
export interface DevicePrompt {
  /** Where the person enters the code (`verification_uri`). */
  verificationUri: string;
  /** The verification URI with the code already in it (`verification_uri_complete`), e.g. for a QR code. */
  verificationUriComplete?: string;
  /** The code the person enters (`user_code`). */
  userCode: string;
  /** When the code expires, epoch ms. */
  expiresAt: number;
}

/**
 * The device authorization grant's interaction (RFC 8628), made by `deviceInteraction()` from
 * `@mcp-oauth/core/device`.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type DeviceInteraction } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * const interaction: DeviceInteraction = deviceInteraction({
 *   prompt: ({ verificationUri, userCode }) => console.error(`Open ${verificationUri}, enter ${userCode}`),
 * });
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', interaction });
 * ```
 */
export interface DeviceInteraction {
  /** Always `device`. */
  kind: 'device';
  /** Shows the verification URI and user code to the person. Polling starts when it returns. */
  prompt(args: DevicePrompt): void | Promise<void>;
  /** The grant's implementation (set by `deviceInteraction`). */
  readonly grant: DeviceGrant;
}

/**
 * The client credentials grant (RFC 6749 §4.4), from `clientCredentials()` in
 * `@mcp-oauth/core/client-credentials`.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type ClientCredentialsInteraction } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 *
 * const interaction: ClientCredentialsInteraction = clientCredentials();
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   interaction,
 *   client: { clientId: 'my-service', clientSecret: 'from-your-secret-store' },
 * });
 * ```
 */
export interface ClientCredentialsInteraction extends TokenInteractionBase {
  /** Always `client-credentials`. */
  kind: 'client-credentials';
}

/**
 * Enterprise-managed authorization (SEP-990), from `enterpriseManaged()`.
 *
 * @example
 * ```ts
 * import type { EnterpriseManagedInteraction } from '@mcp-oauth/core';
 * import { enterpriseManaged } from '@mcp-oauth/core/enterprise';
 *
 * declare const idToken: string; // from the application's own enterprise sign-in
 * const interaction: EnterpriseManagedInteraction = enterpriseManaged({
 *   idp: { issuer: 'https://idp.example.com', clientId: 'mcp-app' },
 *   idToken,
 * });
 * ```
 */
export interface EnterpriseManagedInteraction extends TokenInteractionBase {
  /** Always `enterprise-managed`. */
  kind: 'enterprise-managed';
}

/**
 * Workload identity federation (RFC 7523 JWT bearer), from `workloadIdentity()`.
 *
 * @example
 * ```ts
 * import type { WorkloadIdentityInteraction } from '@mcp-oauth/core';
 * import { workloadIdentity } from '@mcp-oauth/core/workload';
 *
 * declare function readPlatformToken(): Promise<string>; // e.g. a projected service account token
 * const interaction: WorkloadIdentityInteraction = workloadIdentity({ token: readPlatformToken });
 * ```
 */
export interface WorkloadIdentityInteraction extends TokenInteractionBase {
  /** Always `workload-identity`. */
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

/**
 * The device grant's implementation, set by `deviceInteraction()`: applications do not
 * implement it.
 *
 * @example
 * ```ts
 * import type { DeviceGrant } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * const grant: DeviceGrant = deviceInteraction({ prompt: () => {} }).grant;
 * console.log(grant.grantType); // urn:ietf:params:oauth:grant-type:device_code
 * ```
 */
export interface DeviceGrant {
  /** The grant type the server must support (`urn:ietf:params:oauth:grant-type:device_code`). */
  readonly grantType: string;
  /** Sends the device authorization request (RFC 8628 §3.1). */
  request(ctx: FlowContext, args: GrantArgs): Promise<DeviceAuthorization>;
  /** Polls the token endpoint until the person approves, denies, or the code expires (RFC 8628 §3.4). */
  poll(ctx: FlowContext, args: GrantArgs & { device: DeviceAuthorization }): Promise<TokensRecord>;
}

/**
 * A grant that needs no person: one call to the token endpoint (or a few) returns tokens.
 * Set by the factories (`clientCredentials()`, `enterpriseManaged()`, `workloadIdentity()`).
 *
 * @example
 * ```ts
 * import type { TokenGrant } from '@mcp-oauth/core';
 * import { workloadIdentity } from '@mcp-oauth/core/workload';
 *
 * const grant: TokenGrant = workloadIdentity({ token: () => 'platform-token' }).grant;
 * console.log(grant.grantType); // urn:ietf:params:oauth:grant-type:jwt-bearer
 * ```
 */
export interface TokenGrant {
  /** The grant type the server must support (`grant_types_supported`). */
  readonly grantType: string;
  /** Makes the token request(s) and returns the tokens as a record. */
  token(ctx: FlowContext, args: GrantArgs): Promise<TokensRecord>;
}

/** The client credentials grant's implementation. */
export type ClientCredentialsGrant = TokenGrant;

/** The OAuth grant type an interaction obtains tokens with. */
export function grantTypeOf(interaction: Interaction): string {
  return interaction.kind === 'redirect' ? 'authorization_code' : interaction.grant.grantType;
}
