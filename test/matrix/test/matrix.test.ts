import { afterAll, describe, it } from 'vitest';
import { CELLS } from '../src/cells.ts';
import { runCli } from '../src/cli.ts';
import { runLibrary } from '../src/library.ts';
import { type CellOutcome, outcomes, renderTable } from '../src/report.ts';
import { startCell } from '../src/servers/start.ts';

// Each cell runs twice, through the CLI (built, spawned) and through the library (official SDK
// client with oauth.fetch), each time on fresh servers. The table is printed at the end.
// MATRIX_CELLS=id,id runs only those cells (while working on one).
const only = process.env.MATRIX_CELLS?.split(',').filter(Boolean);
const cells = only ? CELLS.filter((c) => only.includes(c.id)) : CELLS;

describe.each(cells)('$id', (cell) => {
  for (const driver of ['cli', 'library'] as const) {
    // a cell showing a known defect of mcp-oauth is expected to fail, with that failure only:
    // another failure is returned as a pass, which `it.fails` reports as a failure
    const test = cell.knownDefect ? it.fails : it;
    test(`${driver}: ${cell.asSetup} × ${cell.rsSetup}`, async () => {
      const outcome: CellOutcome = {
        cell: cell.id,
        as: cell.asSetup,
        rs: cell.rsSetup,
        driver,
        ok: false,
        detail: '',
      };
      outcomes.push(outcome);
      try {
        const stack = await startCell(cell);
        try {
          outcome.detail = await (driver === 'cli' ? runCli : runLibrary)(cell, stack);
          outcome.ok = true;
        } finally {
          await stack.close();
        }
      } catch (error) {
        outcome.detail = error instanceof Error ? error.message : String(error);
        if (cell.knownDefect) {
          if (!cell.knownDefect.failure.test(outcome.detail)) return;
          outcome.detail = `known defect: ${cell.knownDefect.defect} (${outcome.detail})`;
          outcome.knownDefect = true;
        }
        throw error;
      }
    });
  }
});

afterAll(() => {
  process.stdout.write(`\nCapability matrix\n\n${renderTable(outcomes)}\n\n`);
});
