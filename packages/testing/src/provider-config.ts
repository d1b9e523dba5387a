import { randomBytes } from 'node:crypto';
import type { ClientMetadata, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';

/**
 * What `buildProviderConfiguration` needs, already resolved from `AuthServerOptions`. The
 * access token lifetime and refresh rotation are read when a token is issued, so changing them
 * on this object changes the server's behaviour from the next request on.
 */
export interface ProviderSettings {
  issuerPath: string;
  accessTokenTtlSeconds: number;
  refreshTokenRotation: boolean;
  scopes: string[];
  deviceFlow: boolean;
  clientCredentials: boolean;
  dpop: boolean;
  registration: boolean;
  /** A fixed initial access token that registration requires (RFC 7591 §3), or none. */
  initialAccessToken: string | undefined;
  clients: ClientMetadata[];
  signingKey: JWK;
}

/** Scopes that are OpenID Connect's own; every other scope is a resource (MCP) scope. */
const OIDC_SCOPES = new Set(['openid', 'offline_access', 'profile', 'email', 'address', 'phone']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(ctx: KoaContextWithOIDC, title: string, body: string): void {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

const DAY = 24 * 60 * 60;

/**
 * The oidc-provider 9 configuration of the test authorization server. Every default that
 * oidc-provider asks deployments to change is set, so it prints no notices on stdout.
 */
export function buildProviderConfiguration(settings: ProviderSettings): Configuration {
  const resourceScope = settings.scopes.filter((scope) => !OIDC_SCOPES.has(scope)).join(' ');
  // read at every issuance, so that `AuthServer.update()` takes effect on the next token
  const accessTokenTTL = () => settings.accessTokenTtlSeconds;
  return {
    clients: settings.clients,
    jwks: { keys: [settings.signingKey] },
    scopes: settings.scopes,
    responseTypes: ['code'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    interactions: {
      url: (_ctx, interaction) => `${settings.issuerPath}/interaction/${interaction.uid}`,
    },
    pkce: { required: () => true },
    clientBasedCORS: () => true,
    // A refresh token whenever the client may use the refresh_token grant, offline_access or not.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => settings.refreshTokenRotation,
    expiresWithSession: () => false,
    ttl: {
      AccessToken: accessTokenTTL,
      ClientCredentials: accessTokenTTL,
      AuthorizationCode: () => 60,
      DeviceCode: () => 600,
      Grant: () => 14 * DAY,
      IdToken: () => 3600,
      Interaction: () => 3600,
      RefreshToken: () => 14 * DAY,
      Session: () => 14 * DAY,
      BackchannelAuthenticationRequest: () => 600,
    },
    renderError: (ctx, out) => {
      const error = escapeHtml(String(out.error));
      const description = escapeHtml(String(out.error_description ?? ''));
      page(ctx, 'Error', `<pre id="error">${error}: ${description}</pre>`);
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      dPoP: { enabled: settings.dpop },
      clientCredentials: { enabled: settings.clientCredentials },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      registration: {
        enabled: settings.registration,
        initialAccessToken: settings.initialAccessToken ?? false,
      },
      registrationManagement: {
        enabled: settings.registration,
        rotateRegistrationAccessToken: false,
      },
      deviceFlow: {
        enabled: settings.deviceFlow,
        userCodeInputSource: (ctx, form, _out, err) => {
          const message = err ? `<p id="error">${escapeHtml(err.message)}</p>` : '';
          page(ctx, 'Device', `${message}${form}`);
        },
        userCodeConfirmSource: (ctx, form, _client, _deviceInfo, userCode) => {
          page(ctx, 'Confirm device', `<p id="user-code">${escapeHtml(userCode)}</p>${form}`);
        },
        successSource: (ctx) => {
          page(ctx, 'Device approved', '<p id="device-result">approved</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: resourceScope,
          audience: resourceIndicator,
          accessTokenTTL: accessTokenTTL(),
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };
}
