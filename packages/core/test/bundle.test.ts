import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundleMeasure, cases, measure } from '../../../bench/bundle-apps.mjs';

/**
 * What a browser application pays for core, as issue 14 measures it: the realistic
 * applications of bench/bundle-apps.mjs (the same list `node bench/bundle.mjs` prints), each
 * bundled into ONE file by esbuild (platform browser, minified, no code splitting, so code
 * behind a dynamic import() counts), gzipped at level 9. size.test.ts measures the entries'
 * split chunks; this measures what a single-file bundle really ships.
 *
 * Budgets, gzipped bytes: ratchets just above the figures measured on 2026-12-04, so growth
 * fails CI; lower them as core shrinks. Issue 14's aim for the authorization-code application
 * is 15 kB (`aim` in bundle-apps.mjs), not yet met. The authorization-code application must
 * also bundle none of the optional entries' code (FEATURE_MARKERS).
 *
 * Since the client loads its flow, discovery, registration and oauth4webapi with import() when a
 * token is missing or due (issues 14 and 18: a stored valid token loads 6.8 kB of core instead
 * of 22.4 kB where the application splits code), a single-file bundle pays about 1.5 kB for
 * those edges: esbuild wraps each lazily imported module in an initializer.
 */
const BUDGETS_GZIP_BYTES: Record<string, number> = {
  // 29,228 B measured; 28,787 B (-441 B) when DPoP's checks of both servers moved to /dpop and
  // core kept only the error naming the dpop option; 28,312 B (-475 B) when private_key_jwt
  // became its own entry. What the rest pays for is listed in the core README ("Size").
  // 29,878 B since the client loads its flow with import() (see above)
  // 29,634 B when core's eagerly loaded chunks merged into two (issue 14):
  // fewer files, so fewer modules that esbuild wraps in an initializer behind import()
  // 30,167 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,267 B when the caller's abort ends a request's wait for its token at once: one helper
  // races each wait (a refresh, the store's lock, a login) with the request's signal
  // 30,297 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,339 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 60,735 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  'authorization-code': 31_720,
  // 52,430 B measured, 51,968 B after the two moves: jose (keys, signing) and oauth4webapi's
  // DPoP helpers
  // 53,236 B since the client loads its flow with import() (see above)
  // 52,836 B with core's eager chunks merged (see above)
  // 53,367 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 53,474 B when the caller's abort ends a request's wait for its token (see above)
  // 53,501 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 53,552 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 54,269 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  dpop: 54_940,
  // 29,917 B measured, 28,992 B after the two moves
  // 30,529 B since the client loads its flow with import() (see above)
  // 30,289 B with core's eager chunks merged (see above)
  // 30,811 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,909 B when the caller's abort ends a request's wait for its token (see above)
  // 30,940 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,994 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 32,020 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  device: 32_700,
  // 29,430 B measured, 28,521 B after the two moves
  // 30,090 B since the client loads its flow with import() (see above)
  // 29,840 B with core's eager chunks merged (see above)
  // 30,380 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,480 B when the caller's abort ends a request's wait for its token (see above)
  // 30,512 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,554 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 31,262 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  'client-credentials': 31_930,
  // 29,201 B: client credentials with privateKeyJwt (its own entry since issue 14)
  // 30,668 B since the client loads its flow with import() (see above)
  // 30,473 B with core's eager chunks merged (see above)
  // 31,003 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 31,087 B when the caller's abort ends a request's wait for its token (see above)
  // 31,120 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 31,163 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 31,874 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  'private-key-jwt': 32_550,
  // 30,256 B measured, 29,377 B after the two moves
  // 30,953 B since the client loads its flow with import() (see above)
  // 30,712 B with core's eager chunks merged (see above)
  // 31,248 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 31,327 B when the caller's abort ends a request's wait for its token (see above)
  // 31,358 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 31,406 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 32,128 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  enterprise: 32_790,
  // 29,573 B measured, 28,671 B after the two moves
  // 30,237 B since the client loads its flow with import() (see above)
  // 29,999 B with core's eager chunks merged (see above)
  // 30,519 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,613 B when the caller's abort ends a request's wait for its token (see above)
  // 30,645 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,693 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 31,413 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  workload: 32_080,
  // 29,588 B measured, 28,686 B after the two moves
  // 30,250 B since the client loads its flow with import() (see above)
  // 29,989 B with core's eager chunks merged (see above)
  // 30,523 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,632 B when the caller's abort ends a request's wait for its token (see above)
  // 30,661 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,711 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 31,414 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  management: 32_080,
  // 29,738 B measured, 28,824 B after the two moves
  // 30,365 B since the client loads its flow with import() (see above)
  // 30,145 B with core's eager chunks merged (see above)
  // 30,667 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 30,779 B when the caller's abort ends a request's wait for its token (see above)
  // 30,809 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 30,864 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 31,568 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  servers: 32_230,
  // 22,614 B measured, 21,828 B after the two moves: runFlow without the client
  // 22,263 B since the client loads its flow with import() (see above)
  // 22,034 B with core's eager chunks merged (see above)
  // 22,359 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 22,393 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 22,438 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 22,949 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  flow: 23_570,
  // 57,064 B measured, 57,104 B with /private-key-jwt added to the list: every entry's exports
  // 58,411 B since the client loads its flow with import() (see above)
  // 58,189 B with core's eager chunks merged (see above)
  // 58,737 B when the options are checked at creation and oauth.fetch types a failed request
  // (network_error; the caller's abort as fetch gives it): bad input gets a typed error
  // 58,842 B when the caller's abort ends a request's wait for its token (see above)
  // 58,875 B when a server error without an OAuth error response (5xx, 429) says to try again later
  // 58,915 B when an endpoint's HTTP error that is not OAuth's names the endpoint and the way out
  // 59,976 B after the audit against MCP Authorization 2026-07-28: redirect URIs checked before
  // registration, device verification URLs and codes, empty iss, tokens bound to their issuer
  // and DPoP key, the challenge's scope, refusals of a request without scope named
  everything: 60_760,
};

/** Strings found only in the code of one optional feature (core's or oauth4webapi's). */
const FEATURE_MARKERS: Record<string, string[]> = {
  'device flow (RFC 8628, /device)': ['urn:ietf:params:oauth:grant-type:device_code'],
  'client credentials (/client-credentials)': ['client_credentials'],
  'DPoP (RFC 9449, /dpop)': ['dpop+jwt', 'use_dpop_nonce', 'dpop_unavailable'],
  'enterprise-managed authorization (/enterprise)': ['urn:ietf:params:oauth:token-type:id-jag'],
  'JWT bearer grant (RFC 7523, /enterprise, /workload)': [
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
  ],
  'private_key_jwt (RFC 7523 §2.2, /private-key-jwt)': [
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  ],
};

const built = existsSync(join(import.meta.dirname, '..', 'dist', 'index.js'));
const measured: { name: string; m: BundleMeasure; budget: number | undefined }[] = [];
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

afterAll(() => {
  if (!measured.length) return;
  console.log(
    `single-file browser bundles (esbuild, minified, gzip -9):\n${measured
      .map(
        ({ name, m, budget }) =>
          `  ${name.padEnd(66)} ${kB(m.minified).padStart(9)} min ${String(m.gzip).padStart(7)} B gzip (budget ${budget ?? '-'} B)`,
      )
      .join('\n')}`,
  );
});

describe('single-file browser bundles of realistic applications', () => {
  it('core is built (the bundles resolve @mcp-oauth/core to dist)', () => {
    expect(built, 'build core first: pnpm --filter @mcp-oauth/core build, or pnpm build').toBe(
      true,
    );
  });

  it('every application has a budget', () => {
    expect(Object.keys(BUDGETS_GZIP_BYTES).sort()).toEqual(cases.map((c) => c.id).sort());
  });

  for (const c of cases) {
    it(`${c.name} is within its budget`, async () => {
      if (!built) throw new Error('build core first');
      const m = await measure(c.source);
      const budget = BUDGETS_GZIP_BYTES[c.id];
      measured.push({ name: c.name, m, budget });
      // the dependencies are really bundled, not left as imports
      expect(Object.keys(m.byInput).some((input) => input.startsWith('oauth4webapi/'))).toBe(true);
      expect(m.text).not.toMatch(/\bfrom\s*["']@mcp-oauth\//);
      expect(
        m.gzip,
        `${c.name}: ${m.gzip} B gzipped, over its ${budget} B budget (bench/bundle.mjs --inputs shows what it contains)`,
      ).toBeLessThanOrEqual(budget ?? 0);
      if (c.id === 'authorization-code') {
        const found = Object.entries(FEATURE_MARKERS).flatMap(([feature, markers]) =>
          markers.filter((s) => m.text.includes(s)).map((s) => `${feature}: "${s}"`),
        );
        expect(found, 'code of an optional entry in the authorization-code application').toEqual(
          [],
        );
      }
      if (c.id === 'everything') {
        // the markers are real: each is in the bundle of everything
        const missing = Object.values(FEATURE_MARKERS).filter(
          (markers) => !markers.some((s) => m.text.includes(s)),
        );
        expect(missing).toEqual([]);
      }
    });
  }
});
