import type { McpOAuthErrorCode } from '../errors/codes.ts';
import type { InteractionKind } from '../flow/states.ts';

/**
 * Events for logs, metrics and progress output, delivered to `onEvent` (see
 * {@link OAuthClientOptions.onEvent}) and published on the `mcp-oauth:<type>` diagnostics
 * channels. They carry URLs, issuers, scopes, counts and error codes; never a token, secret,
 * code or verifier. Switch on `type` to narrow.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type McpOAuthEvent } from '@mcp-oauth/core';
 *
 * const log = (event: McpOAuthEvent): void => {
 *   switch (event.type) {
 *     case 'refreshed':
 *       console.error(`refreshed ${event.resource}, rotated: ${event.rotated}`);
 *       break;
 *     case 'refresh_failed':
 *       console.error(`refresh failed for ${event.resource}: ${event.reason}`);
 *       break;
 *     default:
 *       console.error(event.type);
 *   }
 * };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', onEvent: log });
 * ```
 */
export type McpOAuthEvent =
  | {
      /** Protected resource metadata (RFC 9728) and authorization server metadata (RFC 8414) are known. */
      type: 'discovery';
      /** The canonical resource URI of the MCP server (RFC 8707). */
      resource: string;
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** Where the protected resource metadata was read; '' for MCP 2025-03-26 legacy discovery. */
      resourceMetadataUrl: string;
      /** Where the authorization server metadata was read. */
      authorizationServerMetadataUrl: string;
      /** True when the metadata came from the store rather than the network. */
      cached: boolean;
    }
  | {
      /** The client has a client id for `issuer`. */
      type: 'registered';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The client id (public, not a secret). */
      clientId: string;
      /** How the client id was obtained. */
      source: 'pre-registered' | 'client-id-metadata-document' | 'dynamic-registration';
    }
  | {
      /** A grant began: a browser redirect, a device code, or a machine grant. */
      type: 'authorization_started';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** The space-separated scopes asked for; undefined when none are asked. */
      scope: string | undefined;
      /** The grant used. */
      via: InteractionKind;
    }
  | {
      /** A device authorization response arrived (RFC 8628 §3.2): show the code to the user. */
      type: 'device_code';
      /** Where the user enters the code. */
      verificationUri: string;
      /** The verification URI with the code in it, when the server gave one. */
      verificationUriComplete: string | undefined;
      /** The code the user enters (short-lived, meant to be shown). */
      userCode: string;
      /** When the device code expires, epoch ms. */
      expiresAt: number;
    }
  | {
      /** Tokens were obtained by a grant and saved. */
      type: 'authorized';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** The scopes granted (space-separated), when known. */
      scope: string | undefined;
      /** When the access token expires, epoch ms; undefined when the server gave no `expires_in`. */
      expiresAt: number | undefined;
    }
  | {
      /**
       * The tokens were granted fewer scopes than asked for (the token response's `scope`
       * lacks some; `offline_access` counts as granted when a refresh token came with them).
       */
      type: 'scope_narrowed';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** The scopes asked for. */
      requested: string[];
      /** The scopes the token response granted. */
      granted: string[];
      /** The scopes asked for and not granted. */
      missing: string[];
    }
  | {
      /** The access token was renewed with the refresh token grant (RFC 6749 §6). */
      type: 'refreshed';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** When the new access token expires, epoch ms; undefined when the server gave no `expires_in`. */
      expiresAt: number | undefined;
      /** True when the server issued a new refresh token (rotation, OAuth 2.1 §4.3.1). */
      rotated: boolean;
    }
  | {
      /**
       * A refresh failed. `reason` is the server's OAuth error (`invalid_grant`, ...) when it
       * gave one, else the error's `code` (`network_error`, `timeout`, `store_lock_timeout`, ...).
       */
      type: 'refresh_failed';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** The library's error code for the failure. */
      code: McpOAuthErrorCode;
      /** The server's OAuth `error`, else the error's `code`. */
      reason: string;
    }
  | {
      /**
       * No refresh was made: another process or request refreshed the tokens while this one
       * waited for the store lock, and their tokens are used.
       */
      type: 'refresh_skipped';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** Why the refresh was skipped. */
      reason: 'refreshed_elsewhere';
    }
  | {
      /**
       * The MCP server answered 403 with `insufficient_scope` (RFC 6750 §3.1), or 401 with a
       * challenge naming scopes the tokens do not hold, and the client asks for more scopes
       * (MCP step-up authorization).
       */
      type: 'step_up';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens are for. */
      resource: string;
      /** The space-separated scopes now asked for: those held plus those the challenge names. */
      scope: string;
      /** 1 for the first step-up of a request, then 2, ... up to the step-up limit. */
      attempt: number;
    }
  | {
      /** Stored tokens were deleted: the server refused them, or the application logged out. */
      type: 'tokens_deleted';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The canonical resource URI the tokens were for. */
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
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** The client id that was dropped. */
      clientId: string;
      /** `invalid_client` from an endpoint, or `registration_unknown` from the configuration endpoint. */
      reason: 'invalid_client' | 'registration_unknown';
    }
  | {
      /** A token was revoked at the revocation endpoint (RFC 7009). */
      type: 'revoked';
      /** The authorization server's issuer identifier. */
      issuer: string;
      /** Which token was revoked (the `token_type_hint` sent); absent when none was sent (`revokeToken` of a token the client does not hold). */
      tokenTypeHint?: 'access_token' | 'refresh_token';
    }
  | {
      /** A transient failure (network, timeout, 5xx, 429) is retried after a delay. */
      type: 'retry';
      /** The endpoint being retried (the token endpoint, else the issuer). */
      url: string;
      /** The attempt that failed, from 1. */
      attempt: number;
      /** The wait before the next attempt, in ms (backoff with jitter, or the server's `Retry-After`). */
      delayMs: number;
      /** The failed attempt's error code (`network_error`, `timeout`, ...). */
      reason: string;
    }
  | {
      /** An operation failed; the same error is thrown to the caller. */
      type: 'failure';
      /** The error's code (an {@link McpOAuthErrorCode}). */
      code: string;
      /** The error's message (never carries a secret). */
      message: string;
    };

/**
 * A listener for {@link McpOAuthEvent}s, given as `onEvent`. Called synchronously, so keep it
 * fast; an exception it throws is swallowed and does not break the flow.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type EventListener } from '@mcp-oauth/core';
 *
 * const onEvent: EventListener = (event) => console.error(JSON.stringify(event));
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', onEvent });
 * ```
 */
export type EventListener = (event: McpOAuthEvent) => void;
