import type { Writable } from 'node:stream';
import { writeStdout } from './write-stdout.ts';

/**
 * The version of every `--json` document's shape (data on stdout, errors on stderr). Fields
 * are only added within a version; a removed or changed field raises it.
 */
export const SCHEMA_VERSION = 1 as const;

/** A `--json` document: `schemaVersion` first, then the command's own fields. */
export function versioned<T extends object>(
  value: T,
): { schemaVersion: typeof SCHEMA_VERSION } & T {
  return { schemaVersion: SCHEMA_VERSION, ...value };
}

/** Where a command writes: data on stdout, progress and problems on stderr. */
export interface Output {
  /** A line of data (stdout). */
  data(line: string): void;
  /** A JSON document (stdout, pretty-printed, one trailing newline). */
  json(value: unknown): void;
  /** Progress (stderr); silenced by --quiet. */
  info(line: string): void;
  /** A warning (stderr, always). */
  warn(line: string): void;
  /** An error (stderr, always). */
  error(line: string): void;
  /** Colors for stderr. */
  readonly style: Style;
  /** Colors for stdout (its own terminal check). */
  readonly dataStyle: Style;
  readonly stderr: Writable & { isTTY?: boolean };
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Colors only on a terminal that has them, never with NO_COLOR set (https://no-color.org). */
export function colorsEnabled(
  stream: { isTTY?: boolean; hasColors?: () => boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && (stream.hasColors?.() ?? false);
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export function createOutput(options: { quiet?: boolean } = {}): Output {
  // process.stdout and process.stderr are made on first use (a pipe's stream loads node:net):
  // data goes straight to stdout's file descriptor, and a command that writes nothing to stderr
  // never makes its stream
  let style: Style | undefined;
  let dataStyle: Style | undefined;
  const styled = () => {
    style ??= makeStyle(colorsEnabled(process.stderr));
    return style;
  };
  return {
    data: (line) => writeStdout(`${line}\n`),
    json: (value) => writeStdout(`${JSON.stringify(value, null, 2)}\n`),
    info: (line) => {
      if (!options.quiet) process.stderr.write(`${line}\n`);
    },
    warn: (line) => process.stderr.write(`${styled().yellow('warning:')} ${line}\n`),
    error: (line) => process.stderr.write(`${styled().red('error:')} ${line}\n`),
    get style() {
      return styled();
    },
    get dataStyle() {
      dataStyle ??= makeStyle(colorsEnabled(process.stdout));
      return dataStyle;
    },
    get stderr() {
      return process.stderr;
    },
  };
}
