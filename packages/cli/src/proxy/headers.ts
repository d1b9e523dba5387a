import { usageError } from '../exit-codes.ts';

const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `--header "Name: value"` values as headers; `${VAR}` in a value is replaced by the
 * environment variable (so secrets stay out of host configuration files and the process list).
 */
export function parseHeaders(
  values: readonly string[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of values) {
    const colon = raw.indexOf(':');
    const name = colon < 0 ? '' : raw.slice(0, colon).trim();
    if (!NAME.test(name))
      throw usageError(`--header must be "Name: value" (got "${raw.slice(0, 40)}").`);
    if (name.toLowerCase() === 'authorization')
      throw usageError(
        '--header cannot set Authorization: the bridge sends the OAuth access token itself.',
      );
    const value = raw
      .slice(colon + 1)
      .trim()
      .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
        const found = env[variable];
        if (found === undefined)
          throw usageError(`--header ${name} uses \${${variable}}, which is not set.`);
        return found;
      });
    if (/[\r\n\0]/.test(value)) throw usageError(`--header ${name}: the value has a line break.`);
    headers[name] = value;
  }
  return headers;
}
