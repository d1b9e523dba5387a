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
  };
  resourceMetadata: {
    attempts: UrlAttempt[];
    url: string | undefined;
    resource: string | undefined;
    authorizationServers: string[];
    scopesSupported: string[] | undefined;
    bearerMethodsSupported: string[] | undefined;
    dpopSigningAlgValuesSupported: string[] | undefined;
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
    dpop: string[];
    scopes: string[];
    issParameter: boolean;
    deviceFlow: boolean;
    revocation: boolean;
    introspection: boolean;
    grantTypes: string[] | undefined;
  };
  problems: Problem[];
  verdict: 'ok' | 'ok-with-quirks' | 'broken';
  /** Flags for `mcp-oauth login` that make it work (ok-with-quirks). */
  quirkFlags: string[];
}
