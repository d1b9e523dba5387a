import { delimiter } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';

/**
 * Splits one command line into argv the way a POSIX shell splits words, without any of a
 * shell's expansions: `$(...)`, backticks, `;`, `|`, globs and variables stay literal text.
 * Single quotes keep everything; double quotes let `\` escape `"`, `\`, `$` and backtick.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
        word += line[++i];
      } else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The BROWSER command has an unterminated ${quote === '"' ? 'double' : 'single'} quote.`,
    );
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Turns the `BROWSER` variable into the argv lists to try, in order. As in the de-facto
 * convention (Python's webbrowser, xdg-utils), several commands may be separated by the path
 * delimiter (`:`, `;` on Windows); `%s` in an argument is replaced by the URL, otherwise the
 * URL is appended as the last argument. The URL is always one argv element.
 */
export function browserCommands(browserVariable: string, url: string): string[][] {
  const commands: string[][] = [];
  for (const entry of browserVariable.split(delimiter)) {
    const words = splitCommandLine(entry);
    if (words.length === 0) continue;
    const hasPlaceholder = words.some((word) => word.includes('%s'));
    commands.push(
      hasPlaceholder ? words.map((word) => word.replaceAll('%s', () => url)) : [...words, url],
    );
  }
  return commands;
}
