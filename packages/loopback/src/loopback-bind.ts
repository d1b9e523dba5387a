import type { Server } from 'node:net';
import { McpOAuthError } from '@mcp-oauth/core';

/**
 * The loopback addresses tried in order (RFC 8252 §8.3: do not assume IPv4 or IPv6 is there).
 * IP literals only, never `localhost` (RFC 8252 §7.3).
 */
export const DEFAULT_LOOPBACK_HOSTS: readonly string[] = Object.freeze(['127.0.0.1', '::1']);

/**
 * Bind errors meaning "this address family or address is not there" (no IPv4 loopback, IPv6
 * disabled), after which the next address is tried. Everything else, `EADDRINUSE` first of
 * all, is a real failure on an address that exists.
 */
const UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

export function isAddressUnavailable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && UNAVAILABLE.has(code);
}

/** `127.0.0.1` or `::1`: the loopback redirect URIs core accepts (RFC 8252 §7.3). */
export function isLoopbackLiteral(host: string): boolean {
  return host === '::1' || host === '127.0.0.1';
}

/** The host as written in a URL or a `Host` header: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/**
 * Listens on the first of `hosts` that exists on this machine (RFC 8252 §8.3) and returns it.
 * A fixed port that is taken or forbidden fails as before, without trying the next address.
 */
export async function listenOnLoopback(
  server: Server,
  hosts: readonly string[],
  requestedPort: number,
  fallback: 'ephemeral' | 'error',
): Promise<string> {
  let lastError: unknown;
  for (const host of hosts) {
    try {
      await listen(server, host, requestedPort);
      return host;
    } catch (error) {
      if (isAddressUnavailable(error)) {
        lastError = error;
        continue;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (requestedPort !== 0 && code === 'EADDRINUSE' && fallback === 'ephemeral') {
        await listen(server, host, 0);
        return host;
      }
      if (requestedPort !== 0 && (code === 'EADDRINUSE' || code === 'EACCES')) {
        const why = code === 'EADDRINUSE' ? 'is already in use' : 'may not be used by this process';
        throw new McpOAuthError(
          'interaction_failed',
          `Port ${requestedPort} on ${urlHost(host)} ${why}, so the loopback receiver cannot start. Free the port, choose another one, or allow an ephemeral port (fallback: 'ephemeral').`,
          {
            cause: error,
            details: {
              reason: code === 'EADDRINUSE' ? 'port_in_use' : 'port_forbidden',
              port: requestedPort,
            },
          },
        );
      }
      throw new McpOAuthError(
        'interaction_failed',
        `The loopback receiver could not listen on ${urlHost(host)}:${requestedPort}.`,
        { cause: error, details: { reason: 'listen_failed', port: requestedPort } },
      );
    }
  }
  throw new McpOAuthError(
    'interaction_failed',
    `The loopback receiver could not listen on port ${requestedPort}: no loopback address is available on this machine (tried ${hosts.map(urlHost).join(', ')}).`,
    {
      cause: lastError,
      details: { reason: 'listen_failed', port: requestedPort },
    },
  );
}
