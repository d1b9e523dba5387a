import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOOPBACK_HOSTS,
  isAddressUnavailable,
  loopbackHosts,
  urlHost,
} from '../src/loopback-bind.ts';

describe('loopbackHosts', () => {
  it('tries 127.0.0.1 first, then ::1, by default', () => {
    expect(loopbackHosts(undefined)).toEqual(['127.0.0.1', '::1']);
    expect(DEFAULT_LOOPBACK_HOSTS).toEqual(['127.0.0.1', '::1']);
  });

  it('accepts the loopback literals 127.0.0.1 and ::1 in the order given', () => {
    expect(loopbackHosts(['::1', '127.0.0.1'])).toEqual(['::1', '127.0.0.1']);
    expect(loopbackHosts(['::1'])).toEqual(['::1']);
  });

  it.each([
    [[]],
    [['localhost']],
    [['0.0.0.0']],
    [['::']],
    [['[::1]']],
    [['192.0.2.1']],
    [['::ffff:127.0.0.1']],
    [['127.0.0.1', '10.0.0.1']],
    [['127.000.0.1']],
    [['127.0.0.2']],
    ['127.0.0.1'],
    [[1]],
  ])('refuses %j with invalid_configuration', (hosts) => {
    let thrown: unknown;
    try {
      loopbackHosts(hosts as unknown as string[]);
    } catch (error) {
      thrown = error;
    }
    expect(McpOAuthError.is(thrown, 'invalid_configuration')).toBe(true);
  });
});

describe('isAddressUnavailable', () => {
  it('moves on only when the address or its family is missing, never when a port is taken', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(isAddressUnavailable(error('EADDRNOTAVAIL'))).toBe(true);
    expect(isAddressUnavailable(error('EAFNOSUPPORT'))).toBe(true);
    expect(isAddressUnavailable(error('EADDRINUSE'))).toBe(false);
    expect(isAddressUnavailable(error('EACCES'))).toBe(false);
    expect(isAddressUnavailable(new Error('no code'))).toBe(false);
    expect(isAddressUnavailable(undefined)).toBe(false);
  });
});

describe('urlHost', () => {
  it('brackets IPv6 literals only', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
