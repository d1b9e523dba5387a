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
 * is 15 kB (`aim` in bundle-apps.mjs), not yet met.
 */
const BUDGETS_GZIP_BYTES: Record<string, number> = {
  // 29,228 B measured: the client with discovery, registration, refresh, the authorized fetch
  'authorization-code': 29_300,
  // 52,430 B measured: jose (keys, signing) and oauth4webapi's DPoP helpers
  dpop: 52_500,
  // 29,917 B measured
  device: 30_000,
  // 29,430 B measured
  'client-credentials': 29_500,
  // 30,256 B measured
  enterprise: 30_350,
  // 29,573 B measured
  workload: 29_650,
  // 29,588 B measured
  management: 29_650,
  // 29,738 B measured
  servers: 29_800,
  // 22,614 B measured: runFlow without the client
  flow: 22_700,
  // 57,064 B measured: every entry's exports
  everything: 57_150,
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
    });
  }
});
