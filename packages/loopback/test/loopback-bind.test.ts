import { describe, expect, it } from 'vitest';
import { isAddressUnavailable, urlHost } from '../src/loopback-bind.ts';

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
