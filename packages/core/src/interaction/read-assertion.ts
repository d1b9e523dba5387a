import { McpOAuthError } from '../errors/error.ts';

/**
 * Calls the application's source of an assertion (the user's ID token, the workload's
 * platform token) for a token request, and trims it (a token read from a file ends with a
 * newline). A failure or an empty value is `assertion_unavailable`; the value itself never
 * appears in a message.
 */
export async function readAssertion(
  source: () => string | Promise<string>,
  what: string,
): Promise<string> {
  let value: unknown;
  try {
    value = await source();
  } catch (cause) {
    throw new McpOAuthError('assertion_unavailable', `${what} could not be obtained.`, { cause });
  }
  const assertion = typeof value === 'string' ? value.trim() : '';
  if (!assertion) {
    throw new McpOAuthError(
      'assertion_unavailable',
      `${what} is empty: its source returned no token.`,
    );
  }
  return assertion;
}
