import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  listScenarios,
  node22,
  PACKAGE_ROOT,
  REFEREES,
  readExpectedFailures,
  runConformance,
  type ScenarioResult,
  summaryTable,
} from '../src/run.ts';

// One `it` per referee scenario, so the repository's test count includes them.
// The scenarios run once, in parallel, before the assertions (about 30 s).
const node = node22();
const expected = readExpectedFailures();
const scenarios = REFEREES.flatMap((referee) => listScenarios(referee, node));
let results: ScenarioResult[] = [];

beforeAll(async () => {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'client.js')))
    throw new Error('Build the package first (pnpm build): dist/client.js is missing.');
  results = await runConformance({ log: () => {} });
  console.log(summaryTable(results));
}, 300_000);

for (const referee of REFEREES) {
  describe(`MCP conformance ${referee.version}`, () => {
    for (const scenario of scenarios.filter((s) => s.referee === referee)) {
      const reason = expected[referee.key]?.[scenario.name];
      it(`${scenario.name}${reason ? ' (expected failure)' : ''}`, () => {
        const result = results.find(
          (r) => r.referee === referee.key && r.scenario === scenario.name,
        );
        expect(result, 'the scenario ran').toBeDefined();
        if (reason)
          expect(
            result?.passed,
            `listed in expected-failures.yml but passes now: remove the entry (${reason})`,
          ).toBe(false);
        else expect(result?.problems ?? [], 'the referee failed the scenario').toEqual([]);
        if (!reason) expect(result?.passed).toBe(true);
      });
    }

    it('has no expected-failures.yml entry for a scenario the referee does not list', () => {
      const listed = new Set(scenarios.filter((s) => s.referee === referee).map((s) => s.name));
      expect(Object.keys(expected[referee.key] ?? {}).filter((name) => !listed.has(name))).toEqual(
        [],
      );
    });
  });
}
