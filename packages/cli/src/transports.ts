import type { FetchLike } from '@mcp-oauth/core';
import { createFetch, DEFAULTS } from '@mcp-oauth/transport-fetch';
import type { Output } from './output.ts';
import type { Settings } from './settings.ts';

/** What a server was logged in with that shapes its HTTP: extra CA certificates, a size limit. */
export interface TransportSettings {
  /** PEM certificates (each may hold several) trusted besides the system's. */
  ca?: string[] | undefined;
  maxResponseBytes?: number | undefined;
}

/**
 * One transport per set of server settings (most commands need one), with `--http-timeout`
 * and the progress of retries from the command line.
 */
export function createTransports(
  settings: Settings,
  out: Output,
): (server?: TransportSettings) => FetchLike {
  const made = new Map<string, FetchLike>();
  return (server = {}) => {
    const key = JSON.stringify([server.ca ?? [], server.maxResponseBytes ?? 0]);
    let fetch = made.get(key);
    if (!fetch) {
      const timeout = settings.httpTimeoutMs;
      fetch = createFetch({
        ...(server.ca?.length ? { ca: server.ca } : {}),
        ...(server.maxResponseBytes
          ? {
              maxResponseBytes: server.maxResponseBytes,
              // one limit on the command line: a larger one raises the limit per event too
              maxEventBytes: Math.max(server.maxResponseBytes, DEFAULTS.maxEventBytes),
            }
          : {}),
        ...(timeout
          ? { connectTimeoutMs: timeout, headersTimeoutMs: timeout, bodyTimeoutMs: timeout }
          : {}),
        onRetry: (event) => {
          if (settings.verbose)
            out.info(
              `retrying ${event.method} ${event.url} in ${event.delayMs} ms (attempt ${event.attempt} failed)`,
            );
        },
      });
      made.set(key, fetch);
    }
    return fetch;
  };
}
