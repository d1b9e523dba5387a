import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import type { FlowContext } from '../flow/context.ts';
import type { DiscoveryRecord } from '../store/records.ts';
import { assertSecureUrl } from '../util/secure-url.ts';
import type {
  AuthorizationServerMetadata,
  DiscoveredAuthorizationServer,
} from './authorization-server.ts';
import { canonicalResource } from './canonical-resource.ts';
import type { ServerQuirks } from './quirks.ts';

/**
 * An authorization server's issuer and endpoints given by the application, for servers whose
 * discovery (RFC 9728, RFC 8414) is missing or wrong. Used when discovery finds no metadata
 * (no protected resource metadata, or none at the issuer's well-known URLs), or, with
 * `override: true`, instead of the authorization server metadata discovery would read. Every
 * URL must be https unless `allowInsecureHttp` allows it; where the MCP server publishes its
 * resource metadata, `issuer` must be one of the authorization servers it names.
 *
 * @example
 * ```ts
 * import { type ConfiguredAuthorizationServer, createOAuthClient } from '@mcp-oauth/core';
 *
 * const authorizationServer: ConfiguredAuthorizationServer = {
 *   issuer: 'https://login.example.com',
 *   authorizationEndpoint: 'https://login.example.com/oauth/authorize',
 *   tokenEndpoint: 'https://login.example.com/oauth/token',
 *   registrationEndpoint: 'https://login.example.com/oauth/register',
 * };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', authorizationServer });
 * ```
 */
export interface ConfiguredAuthorizationServer {
  /** The issuer identifier (RFC 8414 §2): tokens and registrations are bound to it. */
  issuer: string;
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorizationEndpoint: string;
  /** The token endpoint (RFC 6749 §3.2). */
  tokenEndpoint: string;
  /** The dynamic client registration endpoint (RFC 7591 §3); without it, pass `client.clientId`. */
  registrationEndpoint?: string;
  /** The revocation endpoint (RFC 7009 §2), used by `logout()`. */
  revocationEndpoint?: string;
  /** The introspection endpoint (RFC 7662 §2). */
  introspectionEndpoint?: string;
  /** The device authorization endpoint (RFC 8628 §4), for `deviceInteraction()`. */
  deviceAuthorizationEndpoint?: string;
  /**
   * Use these endpoints even where the authorization server publishes metadata (it is then not
   * read). Default false: they are used only when discovery finds none.
   */
  override?: boolean;
}

const ENDPOINTS = [
  ['authorizationEndpoint', 'authorization_endpoint'],
  ['tokenEndpoint', 'token_endpoint'],
  ['registrationEndpoint', 'registration_endpoint'],
  ['revocationEndpoint', 'revocation_endpoint'],
  ['introspectionEndpoint', 'introspection_endpoint'],
  ['deviceAuthorizationEndpoint', 'device_authorization_endpoint'],
] as const;

/**
 * `assertSecureUrl` for one member of the option; the refusal also carries which member as
 * `details.setting` (`authorizationServer.tokenEndpoint`), so that another interface can name
 * its own way to set it.
 */
function secure(
  value: string,
  member: keyof ConfiguredAuthorizationServer,
  allowInsecureHttp: boolean | 'loopback',
): URL {
  const setting = `authorizationServer.${member}`;
  try {
    return assertSecureUrl(value, `The \`${setting}\` option`, allowInsecureHttp);
  } catch (error) {
    if (!McpOAuthError.isInstance(error)) throw error;
    throw new McpOAuthError(error.code, error.message, {
      details: { ...error.details, setting },
      cause: error,
    });
  }
}

/**
 * Authorization server metadata made of the application's {@link ConfiguredAuthorizationServer},
 * each URL checked as a discovered one would be. PKCE S256 is assumed (it is always sent).
 */
export function configuredMetadata(
  configured: ConfiguredAuthorizationServer,
  allowInsecureHttp: boolean | 'loopback',
): AuthorizationServerMetadata {
  const issuer = secure(configured.issuer, 'issuer', allowInsecureHttp);
  if (issuer.search || issuer.hash)
    throw new McpOAuthError(
      'invalid_configuration',
      'The `authorizationServer.issuer` option has a query or fragment, which RFC 8414 forbids in an issuer.',
      { details: { option: 'authorizationServer.issuer' satisfies OptionNamedByErrors } },
    );
  const metadata: AuthorizationServerMetadata = {
    issuer: configured.issuer,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
  for (const [option, field] of ENDPOINTS) {
    const value = configured[option];
    if (value === undefined) continue;
    secure(value, option, allowInsecureHttp);
    metadata[field] = value;
  }
  for (const required of ['authorizationEndpoint', 'tokenEndpoint'] as const)
    if (!configured[required])
      throw new McpOAuthError(
        'invalid_configuration',
        `\`authorizationServer.${required}\` is missing: the authorization server needs it.`,
      );
  return metadata;
}

/**
 * The issuer of the resource's list (RFC 9728 `authorization_servers`) that the configured one
 * names; a configured issuer the MCP server does not name is refused (its tokens would not be
 * accepted there, and credentials would go to a server the resource did not choose).
 */
export function configuredIssuerIn(
  configured: ConfiguredAuthorizationServer,
  servers: string[],
  quirks: ServerQuirks,
): string {
  const strip = (s: string) => (s.endsWith('/') ? s.slice(0, -1) : s);
  const found =
    servers.find((s) => s === configured.issuer) ??
    (quirks.allowIssuerTrailingSlash
      ? servers.find((s) => strip(s) === strip(configured.issuer))
      : undefined);
  if (found) return found;
  throw new McpOAuthError(
    'issuer_mismatch',
    `The MCP server names ${servers.join(', ') || 'no authorization server'} in its resource metadata (RFC 9728), not ${configured.issuer}: correct the \`authorizationServer.issuer\` option.`,
    {
      details: {
        expected: servers.join(' '),
        actual: configured.issuer,
        option: 'authorizationServer.issuer' satisfies OptionNamedByErrors,
      },
    },
  );
}

/**
 * A cached record that does not hold these endpoints is replaced when they override discovery,
 * or when it was itself made of endpoints given by hand (since changed).
 */
export function replaces(
  configured: ConfiguredAuthorizationServer,
  cached: DiscoveryRecord,
): boolean {
  const as = cached.authorizationServerMetadata;
  return (
    (configured.override === true || cached.configured === true) &&
    (cached.issuer !== configured.issuer ||
      ENDPOINTS.some(([option, field]) => as[field] !== configured[option]))
  );
}

/** The authorization server's metadata: discovered (`lookUp`), or the configured one with `override` or where discovery finds none. */
export async function orConfigured(
  configured: ConfiguredAuthorizationServer,
  lookUp: () => Promise<Pick<DiscoveredAuthorizationServer, 'metadata' | 'url'>>,
  ctx: Pick<FlowContext, 'allowInsecureHttp'>,
): Promise<Pick<DiscoveredAuthorizationServer, 'metadata' | 'url'>> {
  const fromConfiguration = () => ({
    metadata: configuredMetadata(configured, ctx.allowInsecureHttp),
    url: '',
  });
  if (configured.override) return fromConfiguration();
  try {
    return await lookUp();
  } catch (error) {
    // no metadata at any well-known URL: the endpoints the application gave
    if (!McpOAuthError.is(error, 'authorization_server_not_found')) throw error;
    return fromConfiguration();
  }
}

/** No RFC 9728 metadata: the application's endpoints, for the resource the server URL names. */
export function configuredRecord(
  configured: ConfiguredAuthorizationServer,
  serverUrl: string,
  ctx: Pick<FlowContext, 'allowInsecureHttp' | 'now'>,
): DiscoveryRecord {
  const metadata = configuredMetadata(configured, ctx.allowInsecureHttp);
  const resource = canonicalResource(serverUrl);
  return {
    v: 1,
    kind: 'discovery',
    resource,
    resourceMetadataUrl: '',
    resourceMetadata: { resource, authorization_servers: [metadata.issuer] },
    issuer: metadata.issuer,
    authorizationServerMetadataUrl: '',
    authorizationServerMetadata: metadata,
    discoveredAt: ctx.now(),
    configured: true,
  };
}
