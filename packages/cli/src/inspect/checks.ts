import type { ServerQuirks } from '@mcp-oauth/core';
import { QUIRK_NAMES } from '@mcp-oauth/core/flow';
import { string, strings } from './fetch-document.ts';
import type { InspectReport, Problem } from './report.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

export const error = (code: string, message: string, quirk?: keyof ServerQuirks): Problem => ({
  severity: 'error',
  code,
  message,
  ...(quirk ? { quirk: { name: quirk, flag: QUIRK_NAMES[quirk].flag } } : {}),
});
export const warning = (code: string, message: string): Problem => ({
  severity: 'warning',
  code,
  message,
});

/** https, or http on a loopback address (local development). */
export function checkSecure(url: string, what: string): Problem | undefined {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname)))
      return undefined;
    return error(
      'insecure_url',
      `${what} ${url} does not use https (http is only acceptable on loopback addresses).`,
    );
  } catch {
    return error('invalid_response', `${what} "${url}" is not a valid URL.`);
  }
}

const stripSlash = (s: string) => (s.endsWith('/') ? s.slice(0, -1) : s);

/** The RFC 8414 / MCP checks of an authorization server's metadata. */
export function checkAuthorizationServer(
  doc: Record<string, unknown>,
  expectedIssuer: string,
  url: string,
): { problems: Problem[]; capabilities: InspectReport['capabilities'] } {
  const problems: Problem[] = [];
  const declared = string(doc.issuer);
  if (!declared) {
    problems.push(
      error('authorization_server_metadata_invalid', `The metadata at ${url} has no "issuer".`),
    );
  } else if (declared !== expectedIssuer) {
    problems.push(
      stripSlash(declared) === stripSlash(expectedIssuer)
        ? error(
            'issuer_mismatch',
            `The metadata declares the issuer "${declared}", the resource names "${expectedIssuer}": they differ by a trailing slash.`,
            'allowIssuerTrailingSlash',
          )
        : error(
            'issuer_mismatch',
            `The metadata at ${url} declares the issuer "${declared}", but the resource names "${expectedIssuer}". RFC 8414 §3.3 requires them to be identical (mix-up defence); clients must reject it.`,
          ),
    );
  }
  for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
    const value = string(doc[field]);
    if (!value)
      problems.push(
        error('authorization_server_metadata_invalid', `The metadata has no "${field}".`),
      );
    else {
      const insecure = checkSecure(value, `The ${field.replace('_', ' ')}`);
      if (insecure) problems.push(insecure);
    }
  }
  const methods = strings(doc.code_challenge_methods_supported);
  let pkce: InspectReport['capabilities']['pkceS256'] = 'yes';
  if (methods === undefined) {
    pkce = 'not-advertised';
    problems.push(
      error(
        'pkce_unsupported',
        'The metadata has no code_challenge_methods_supported, so PKCE support cannot be verified; MCP clients must refuse such a server unless told it supports S256.',
        'assumePkceS256',
      ),
    );
  } else if (!methods.includes('S256')) {
    pkce = 'no';
    problems.push(
      error(
        'pkce_unsupported',
        `The server does not support PKCE with S256 (it lists: ${methods.join(', ') || 'nothing'}); MCP requires S256.`,
      ),
    );
  }
  const responseTypes = strings(doc.response_types_supported);
  if (responseTypes && !responseTypes.includes('code')) {
    problems.push(
      error(
        'authorization_server_metadata_invalid',
        `response_types_supported (${responseTypes.join(', ')}) lacks "code": no authorization code flow.`,
      ),
    );
  }
  const grantTypes = strings(doc.grant_types_supported);
  const registrationEndpoint = string(doc.registration_endpoint);
  const cimd = doc.client_id_metadata_document_supported === true;
  const deviceFlow = string(doc.device_authorization_endpoint) !== undefined;
  const revocation = string(doc.revocation_endpoint) !== undefined;
  const issParameter = doc.authorization_response_iss_parameter_supported === true;
  if (!registrationEndpoint && !cimd) {
    problems.push(
      warning(
        'registration_unsupported',
        "Neither dynamic client registration nor client ID metadata documents: log in with a client id from the server's administrator (--client-id).",
      ),
    );
  }
  if (!revocation)
    problems.push(
      warning(
        'revocation_unsupported',
        'No revocation_endpoint: logout can only delete tokens locally; they stay valid until they expire.',
      ),
    );
  if (!issParameter)
    problems.push(
      warning(
        'iss_parameter_unsupported',
        'The server does not announce the RFC 9207 "iss" authorization response parameter (mix-up defence).',
      ),
    );
  return {
    problems,
    capabilities: {
      pkceS256: pkce,
      codeChallengeMethods: methods,
      registration: {
        dynamic: registrationEndpoint !== undefined,
        registrationEndpoint,
        clientIdMetadataDocument: cimd,
        preRegisteredNeeded: !registrationEndpoint && !cimd,
      },
      dpop: {
        authorizationServer: strings(doc.dpop_signing_alg_values_supported) ?? [],
        resource: { takes: false, requires: false, algs: [] },
        auto: { tokens: 'bearer', alg: undefined },
      },
      scopes: strings(doc.scopes_supported) ?? [],
      issParameter,
      deviceFlow,
      revocation,
      introspection: string(doc.introspection_endpoint) !== undefined,
      grantTypes,
    },
  };
}

export function emptyCapabilities(): InspectReport['capabilities'] {
  return {
    pkceS256: 'unknown',
    codeChallengeMethods: undefined,
    registration: {
      dynamic: false,
      registrationEndpoint: undefined,
      clientIdMetadataDocument: false,
      preRegisteredNeeded: false,
    },
    dpop: {
      authorizationServer: [],
      resource: { takes: false, requires: false, algs: [] },
      auto: { tokens: 'bearer', alg: undefined },
    },
    scopes: [],
    issParameter: false,
    deviceFlow: false,
    revocation: false,
    introspection: false,
    grantTypes: undefined,
  };
}

/** ok: nothing in the way; ok-with-quirks: every error has a named workaround; broken otherwise. */
export function verdictOf(problems: Problem[]): Pick<InspectReport, 'verdict' | 'quirkFlags'> {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return { verdict: 'ok', quirkFlags: [] };
  if (errors.every((p) => p.quirk))
    return {
      verdict: 'ok-with-quirks',
      quirkFlags: [...new Set(errors.map((p) => p.quirk?.flag as string))],
    };
  return {
    verdict: 'broken',
    quirkFlags: [...new Set(errors.flatMap((p) => (p.quirk ? [p.quirk.flag] : [])))],
  };
}
