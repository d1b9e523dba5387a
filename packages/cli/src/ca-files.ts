import { readFileSync } from 'node:fs';
import { usageError } from './exit-codes.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Commander collector for a repeatable `--ca <file>`. */
export function collectFiles(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The PEM text of each `--ca` file (certificates only; a file may hold several). */
export function readCaFiles(paths: readonly string[]): string[] {
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw usageError(`--ca ${path}: the file cannot be read (${why}).`);
    }
    if (!PEM_CERTIFICATE.test(text))
      throw usageError(`--ca ${path}: no PEM certificate ("-----BEGIN CERTIFICATE-----") in it.`);
    return text;
  });
}
