import type { FetchLike } from '@mcp-oauth/core';
import type { UrlAttempt } from './report.ts';

const MAX_BYTES = 256 * 1024;

/** GETs a metadata document and classifies the answer, never throwing. */
export async function fetchDocument(
  fetch: FetchLike,
  url: string,
): Promise<{ attempt: UrlAttempt; document?: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'follow',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    return {
      attempt: {
        url,
        status: undefined,
        outcome: 'error',
        contentType: undefined,
        used: false,
        note,
      },
    };
  }
  const contentType = response.headers.get('content-type') ?? undefined;
  const base = { url, status: response.status, contentType, used: false };
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return {
      attempt: {
        ...base,
        outcome: response.status >= 400 && response.status < 500 ? 'not-found' : 'http-error',
      },
    };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return {
      attempt: {
        ...base,
        outcome: 'error',
        note: error instanceof Error ? error.message : String(error),
      },
    };
  }
  if (text.length > MAX_BYTES)
    return { attempt: { ...base, outcome: 'not-json', note: `larger than ${MAX_BYTES} bytes` } };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { attempt: { ...base, outcome: 'json' }, document: parsed as Record<string, unknown> };
    }
    return { attempt: { ...base, outcome: 'not-json', note: 'JSON, but not an object' } };
  } catch {
    const html = /^\s*</.test(text);
    return { attempt: { ...base, outcome: 'not-json', note: html ? 'an HTML page' : 'not JSON' } };
  }
}

export const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? (value as string[])
    : undefined;

export const string = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
