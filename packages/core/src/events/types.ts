import type { McpOAuthErrorCode } from '../errors/codes.ts';
import type { InteractionKind } from '../flow/states.ts';

/**
 * Events for logs, metrics and progress output. They carry URLs, issuers, scopes,
 * counts and error codes; never a token, secret, code or verifier.
 */
export type McpOAuthEvent =
  | {
      type: 'discovery';
      resource: string;
      issuer: string;
      resourceMetadataUrl: string;
      authorizationServerMetadataUrl: string;
      cached: boolean;
    }
  | {
      type: 'registered';
      issuer: string;
      clientId: string;
      source: 'pre-registered' | 'client-id-metadata-document' | 'dynamic-registration';
    }
  | {
      type: 'authorization_started';
      issuer: string;
      resource: string;
      scope: string | undefined;
      via: InteractionKind;
    }
  | {
      type: 'device_code';
      verificationUri: string;
      verificationUriComplete: string | undefined;
      userCode: string;
      expiresAt: number;
    }
  | {
      type: 'authorized';
      issuer: string;
      resource: string;
      scope: string | undefined;
      expiresAt: number | undefined;
    }
  | {
      /**
       * The tokens were granted fewer scopes than asked for (the token response's `scope`
       * lacks some; `offline_access` counts as granted when a refresh token came with them).
       */
      type: 'scope_narrowed';
      issuer: string;
      resource: string;
      requested: string[];
      granted: string[];
      missing: string[];
    }
  | {
      type: 'refreshed';
      issuer: string;
      resource: string;
      expiresAt: number | undefined;
      rotated: boolean;
    }
  | {
      /**
       * A refresh failed. `reason` is the server's OAuth error (`invalid_grant`, ...) when it
       * gave one, else the error's `code` (`network_error`, `timeout`, `store_lock_timeout`, ...).
       */
      type: 'refresh_failed';
      issuer: string;
      resource: string;
      code: McpOAuthErrorCode;
      reason: string;
    }
  | { type: 'refresh_skipped'; issuer: string; resource: string; reason: 'refreshed_elsewhere' }
  | { type: 'step_up'; issuer: string; resource: string; scope: string; attempt: number }
  | {
      type: 'tokens_deleted';
      issuer: string;
      resource: string;
      /** invalid_client: the tokens belong to a client registration the server no longer knows. */
      reason: 'invalid_grant' | 'invalid_client' | 'logout';
    }
  | {
      /**
       * A stored dynamic registration was deleted because the authorization server no longer
       * knows it (restarted with an in-memory client store, expired, deleted by an admin): an
       * endpoint answered `invalid_client`, or the RFC 7592 configuration endpoint 401/404.
       * The next authorization registers again.
       */
      type: 'registration_dropped';
      issuer: string;
      clientId: string;
      reason: 'invalid_client' | 'registration_unknown';
    }
  | { type: 'revoked'; issuer: string; tokenTypeHint: 'access_token' | 'refresh_token' }
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'failure'; code: string; message: string };

export type EventListener = (event: McpOAuthEvent) => void;
