import tls from 'node:tls';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { guardedLookup } from './ssrf/blocked-addresses.ts';
import { guardedConnector } from './ssrf/guarded-connector.ts';

export interface DispatcherOptions {
  proxy: string | false | undefined;
  noProxy: string | undefined;
  ca: string | readonly string[] | undefined;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  blockPrivateNetworks: boolean;
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/** The default trust store plus `extra`: Node's `ca` option replaces the defaults otherwise. */
function trustedCertificates(extra: string | readonly string[]): string[] {
  const getCACertificates = (tls as { getCACertificates?: (type: string) => string[] })
    .getCACertificates;
  const base = getCACertificates ? getCACertificates('default') : [...tls.rootCertificates];
  return [...base, ...(typeof extra === 'string' ? [extra] : extra)];
}

/**
 * The undici dispatcher behind a transport: an `Agent` when no proxy applies, otherwise an
 * `EnvHttpProxyAgent` (which tunnels through the proxy with CONNECT and honours `NO_PROXY`),
 * fed from the environment or from the `proxy` option. undici's own body timeout is
 * disabled: the buffering handlers enforce it for ordinary bodies, and event streams may idle.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const tlsOptions = options.ca === undefined ? {} : { ca: trustedCertificates(options.ca) };
  const connect = { ...tlsOptions, timeout: options.connectTimeoutMs };
  const agentOptions = {
    // With blockPrivateNetworks, every connection (redirect hops included) is checked:
    // names in `lookup`, address literals in the connector.
    connect: options.blockPrivateNetworks
      ? guardedConnector({ ...connect, lookup: guardedLookup })
      : connect,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: 0,
    keepAliveTimeout: options.keepAliveTimeoutMs,
  };
  if (options.proxy === false) return new Agent(agentOptions);
  const proxyOptions = {
    ...agentOptions,
    requestTls: { ...tlsOptions, timeout: options.connectTimeoutMs },
    proxyTls: { ...tlsOptions, timeout: options.connectTimeoutMs },
    ...(options.noProxy === undefined ? {} : { noProxy: options.noProxy }),
  };
  if (typeof options.proxy === 'string') {
    return new EnvHttpProxyAgent({
      ...proxyOptions,
      httpProxy: options.proxy,
      httpsProxy: options.proxy,
    });
  }
  const fromEnvironment = PROXY_VARIABLES.some((name) => Boolean(process.env[name]));
  return fromEnvironment ? new EnvHttpProxyAgent(proxyOptions) : new Agent(agentOptions);
}
