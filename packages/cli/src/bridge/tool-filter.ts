/**
 * Tool names hidden from the host (mcp-remote's --ignore-tool): `*` matches any run of
 * characters, everything else is literal; case-insensitive.
 */
export function toolFilter(patterns: readonly string[]): ((name: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const regexps = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
        'i',
      ),
  );
  return (name) => regexps.some((regexp) => regexp.test(name));
}

/** A tools/list result without the hidden tools (other fields kept as they are). */
export function withoutHiddenTools(result: unknown, hidden: (name: string) => boolean): unknown {
  if (typeof result !== 'object' || result === null) return result;
  const tools = (result as { tools?: unknown }).tools;
  if (!Array.isArray(tools)) return result;
  return {
    ...result,
    tools: tools.filter(
      (tool: unknown) =>
        !(
          typeof tool === 'object' &&
          tool !== null &&
          hidden(String((tool as { name?: unknown }).name))
        ),
    ),
  };
}
