/** One driver's run of one cell. */
export interface CellOutcome {
  cell: string;
  as: string;
  rs: string;
  driver: 'cli' | 'library';
  ok: boolean;
  /** What was checked or skipped (pass), or the step that failed and why (fail). */
  detail: string;
  /** The failure is a known defect of mcp-oauth that the cell shows (expected to fail). */
  knownDefect?: boolean;
}

export const outcomes: CellOutcome[] = [];

/** A step's failure, named after the step. */
export class StepError extends Error {
  constructor(step: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${step}: ${message.split('\n').find((l) => l.trim() !== '') ?? message}`, { cause });
  }
}

/** Runs a step; a failure becomes a StepError naming it. */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof StepError ? error : new StepError(name, error);
  }
}

/** Throws when the condition is false (assertions inside steps, with a readable reason). */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The matrix as a table (markdown), one row per cell and driver. */
export function renderTable(rows: CellOutcome[]): string {
  const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const lines = [
    '| cell | authorization server | MCP server | driver | result | detail |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.cell} | ${r.as} | ${r.rs} | ${r.driver} | ${r.ok ? 'pass' : r.knownDefect ? 'FAIL (known defect)' : 'FAIL'} | ${cut(r.detail.replace(/\|/g, '/').replace(/\s+/g, ' '), 220)} |`,
    ),
  ];
  const passed = rows.filter((r) => r.ok).length;
  const known = rows.filter((r) => !r.ok && r.knownDefect).length;
  lines.push(
    '',
    `${passed} of ${rows.length} cell runs passed${known ? `, ${known} failed on a known defect` : ''}.`,
  );
  return lines.join('\n');
}
