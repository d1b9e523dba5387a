import { usageError } from './exit-codes.ts';

/** A token someone already holds, as `login --with-token` reads it from standard input. */
export interface TokenInput {
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds from now (`expires_in`), when given. */
  expiresIn: number | undefined;
  scope: string | undefined;
}

/** More than any token response; standard input is not read past it. */
const MAX_INPUT_BYTES = 64 * 1024;

const PIPE_HINT =
  'pipe the access token (or a JSON token response) in, e.g. printf \'%s\' "$TOKEN" | mcp-oauth login <url> --with-token';

/**
 * Reads `login --with-token`'s standard input: an access token alone, or a JSON object
 * `{ access_token, refresh_token?, expires_in?, token_type?, scope? }` (a token endpoint's
 * response). Refuses a terminal, an empty input and anything else; never repeats the input.
 */
export async function readTokenInput(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<TokenInput> {
  if (stdin.isTTY)
    throw usageError(
      `--with-token reads the token from standard input, which is a terminal here (the token would be typed in clear and kept in the shell history): ${PIPE_HINT}.`,
    );
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES)
      throw usageError(
        `--with-token read more than ${MAX_INPUT_BYTES / 1024} KiB from standard input: ${PIPE_HINT}.`,
      );
    chunks.push(buffer);
  }
  return parseTokenInput(Buffer.concat(chunks).toString('utf8'));
}

/** The token, or the fields of a JSON token response, from `text` (errors never quote it). */
export function parseTokenInput(text: string): TokenInput {
  const input = text.trim();
  if (!input) throw usageError(`--with-token read nothing from standard input: ${PIPE_HINT}.`);
  if (!input.startsWith('{')) {
    // RFC 6750 b64token characters (and `=` padding): one token, nothing else
    if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(input))
      throw usageError(
        '--with-token: standard input is neither one access token (RFC 6750 characters only, one line) nor a JSON object with access_token.',
      );
    return { accessToken: input, refreshToken: undefined, expiresIn: undefined, scope: undefined };
  }
  let body: unknown;
  try {
    body = JSON.parse(input);
  } catch {
    throw usageError('--with-token: standard input starts with "{" but is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw usageError('--with-token: the JSON on standard input must be an object.');
  const fields = body as Record<string, unknown>;
  const text_ = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !value.trim())
      throw usageError(`--with-token: "${name}" must be a non-empty string.`);
    return value.trim();
  };
  const accessToken = text_('access_token');
  if (!accessToken)
    throw usageError('--with-token: the JSON on standard input has no "access_token".');
  const tokenType = text_('token_type');
  if (tokenType && tokenType.toLowerCase() !== 'bearer')
    throw usageError(
      `--with-token takes Bearer tokens only (token_type "${tokenType}"): a DPoP-bound token is bound to a key that stays with the client that obtained it. Log in without --with-token.`,
    );
  const expires = fields.expires_in;
  let expiresIn: number | undefined;
  if (expires !== undefined && expires !== null) {
    expiresIn =
      typeof expires === 'string' && expires.trim() ? Number(expires) : (expires as number);
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
      throw usageError('--with-token: "expires_in" must be a positive number of seconds.');
  }
  return { accessToken, refreshToken: text_('refresh_token'), expiresIn, scope: text_('scope') };
}
