/**
 * Named, opt-in deviations for real servers that break the specifications in
 * known ways. None is on by default: the default is to refuse with an error that
 * names the option. `inspect` reports which ones a server needs.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type ServerQuirks } from '@mcp-oauth/core';
 *
 * // Microsoft Entra ID: no code_challenge_methods_supported, and no RFC 8707 resource parameter
 * const quirks: ServerQuirks = { assumePkceS256: true, omitResourceParameter: true };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', quirks });
 * ```
 */
export interface ServerQuirks {
  /** Microsoft Entra ID and Amazon Cognito publish no `code_challenge_methods_supported`. PKCE S256 is sent anyway. */
  assumePkceS256?: boolean;
  /** Microsoft Entra ID rejects the RFC 8707 `resource` parameter (AADSTS9010010). */
  omitResourceParameter?: boolean;
  /** Accept an `issuer` that differs from the expected one only by a trailing slash. */
  allowIssuerTrailingSlash?: boolean;
  /** Accept token responses that omit `token_type` (treated as Bearer). */
  allowMissingTokenType?: boolean;
}

/**
 * For each quirk: the CLI flag that turns it on, and why a server needs it (for messages).
 *
 * @example
 * ```ts
 * import { QUIRK_NAMES, type ServerQuirks } from '@mcp-oauth/core/flow';
 *
 * const quirks: ServerQuirks = { assumePkceS256: true };
 * for (const name of Object.keys(quirks) as (keyof ServerQuirks)[]) {
 *   console.error(`${QUIRK_NAMES[name].flag}: ${QUIRK_NAMES[name].why}`);
 * }
 * ```
 */
export const QUIRK_NAMES: Record<
  keyof ServerQuirks,
  {
    /** The CLI flag, e.g. `--assume-pkce`. */
    flag: string;
    /** Why a server needs it, as a clause for messages. */
    why: string;
  }
> = {
  assumePkceS256: {
    flag: '--assume-pkce',
    why: 'the server publishes no code_challenge_methods_supported (Entra ID, Cognito)',
  },
  omitResourceParameter: {
    flag: '--omit-resource',
    why: 'the server rejects the resource parameter (Entra ID: AADSTS9010010)',
  },
  allowIssuerTrailingSlash: {
    flag: '--allow-issuer-trailing-slash',
    why: 'the server adds or drops a trailing slash on its issuer',
  },
  allowMissingTokenType: {
    flag: '--allow-missing-token-type',
    why: 'the server omits token_type from token responses',
  },
};
