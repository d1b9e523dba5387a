import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** The error code a blocked destination fails with (mapped to `address_blocked`). */
export const BLOCKED_CODE = 'ERR_MCP_OAUTH_ADDRESS_BLOCKED';

/**
 * Destinations a server-side client must not be steered to by URLs an MCP server
 * hands out (resource metadata, authorization servers, endpoints): loopback, private,
 * shared, link-local (cloud metadata at 169.254.169.254), multicast, reserved, and the
 * IPv6 equivalents (unique-local, link-local, IPv4-mapped private ranges). Node's
 * BlockList does the matching: no hand-written address parsing.
 */
function privateNetworks(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
    ['64:ff9b::', 96],
    ['2001:db8::', 32],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
}

const BLOCKED = privateNetworks();

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

function blockedError(host: string, address: string): Error {
  return Object.assign(new Error(`${host} resolves to ${address}, a private or reserved address`), {
    code: BLOCKED_CODE,
  });
}

/** A host that is an address literal in a blocked range, checked before any connection. */
export function blockedLiteral(hostname: string): Error | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isBlockedAddress(host) ? blockedError(hostname, host) : undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets that refuses names resolving to blocked addresses. The check is
 * made on the address the socket will connect to, so a DNS answer that changes between a
 * check and the connection (rebinding) cannot slip through.
 */
export function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) return callback(blockedError(hostname, bad.address) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(
        Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }),
        [],
      );
    callback(null, first.address, first.family);
  });
}
