const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Vault accepts durations as integer seconds or Go-style strings ("30s", "1h30m").
 * Returns seconds, or undefined when the value is not a duration.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  let total = 0;
  let rest = value;
  while (rest.length > 0) {
    const match = /^(\d+)([smhd])/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * (UNITS[match[2] as string] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}
