import type { ServerQuirks } from '@mcp-oauth/core';
import { QUIRK_NAMES } from '@mcp-oauth/core/flow';
import { type Command, Option } from 'commander';

const camel = (flag: string) =>
  flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const entries = Object.entries(QUIRK_NAMES) as [
  keyof ServerQuirks,
  { flag: string; why: string },
][];

/** Adds one flag per named server deviation (core's QUIRK_NAMES). */
export function addQuirkOptions(command: Command): Command {
  for (const [, { flag, why }] of entries)
    command.addOption(new Option(flag, `work around: ${why}`));
  return command;
}

/** The quirks switched on by those flags. */
export function quirksFromOptions(options: Record<string, unknown>): ServerQuirks {
  const quirks: ServerQuirks = {};
  for (const [key, { flag }] of entries) if (options[camel(flag)] === true) quirks[key] = true;
  return quirks;
}

/** The flag for a quirk, e.g. assumePkceS256 → --assume-pkce. */
export function quirkFlag(key: keyof ServerQuirks): string {
  return QUIRK_NAMES[key].flag;
}
