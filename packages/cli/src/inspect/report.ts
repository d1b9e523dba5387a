import type { ServerQuirks } from '@mcp-oauth/core';

/** One URL tried during discovery and what it answered. */
export interface UrlAttempt {
  url: string;
  /** HTTP status, or undefined when the request failed. */
  status: number | undefined;
  /** `json` (a JSON object), `not-json` (e.g. an HTML page), `error` (network), `not-found` (4xx), `http-error` (5xx...). */
  outcome: 'json' | 'not-json' | 'error' | 'not-found' | 'http-error';
  contentType: string | undefined;
  /** Whether this is the document that was used. */
  used: boolean;
  note?: string;
}

export interface Problem {
  severity: 'error' | 'warning';
  /** A core error code where one fits (issuer_mismatch, pkce_unsupported, ...), else a short name. */
  code: string;
  message: string;
  /** The named deviation that works around it, when there is one. */
  quirk?: { name: keyof ServerQuirks; flag: string };
}

export interface DpopReport {
  /** The authorization server's `dpop_signing_alg_values_supported` ([]: it does not offer DPoP). */
  authorizationServer: string[];
  /** Whether the MCP server takes DPoP-bound tokens (metadata or challenge), and requires them. */
  resource: { takes: boolean; requires: boolean; algs: string[] };
  /** What `--dpop auto` sends: 'dpop' with the algorithm both accept, or 'bearer'. */
  auto: { tokens: 'dpop' | 'bearer'; alg: string | undefined };
}

export interface InspectReport {
  serverUrl: string;
  resource: string;
  challenge: {
    status: number | undefined;
    wwwAuthenticate: string | undefined;
    scheme: string | undefined;
    resourceMetadata: string | undefined;
    scope: string | undefined;
    error: string | undefined;
    /** The `algs` of a `DPoP` challenge ([] when it names none); undefined without one. */
    dpopAlgs: string[] | undefined;
  };
  resourceMetadata: {
    attempts: UrlAttempt[];
    url: string | undefined;
    resource: string | undefined;
    authorizationServers: string[];
    scopesSupported: string[] | undefined;
    bearerMethodsSupported: string[] | undefined;
    dpopSigningAlgValuesSupported: string[] | undefined;
    /** RFC 9728 §2 `dpop_bound_access_tokens_required`. */
    dpopBoundAccessTokensRequired: boolean;
    document: Record<string, unknown> | undefined;
  };
  authorizationServer: {
    issuer: string | undefined;
    attempts: UrlAttempt[];
    url: string | undefined;
    declaredIssuer: string | undefined;
    document: Record<string, unknown> | undefined;
  };
  capabilities: {
    pkceS256: 'yes' | 'not-advertised' | 'no' | 'unknown';
    codeChallengeMethods: string[] | undefined;
    registration: {
      dynamic: boolean;
      registrationEndpoint: string | undefined;
      clientIdMetadataDocument: boolean;
      /** No DCR and no CIMD: a client id from the server's administrator is needed (--client-id). */
      preRegisteredNeeded: boolean;
    };
    /** DPoP as each side states it, and what `--dpop auto` makes of it. */
    dpop: DpopReport;
    scopes: string[];
    issParameter: boolean;
    deviceFlow: boolean;
    revocation: boolean;
    introspection: boolean;
    grantTypes: string[] | undefined;
  };
  problems: Problem[];
  /** `unprotected`: no resource metadata and no 401, nothing to log in to (or not an MCP server). */
  verdict: 'ok' | 'ok-with-quirks' | 'broken' | 'unprotected';
  /** Flags for `mcp-oauth login` that make it work (ok-with-quirks). */
  quirkFlags: string[];
}
