import { describe, expect, it } from 'vitest';
import { resourceMatcher } from '../../src/discovery/canonical-resource.ts';
import { toReplayable, withAuthorization } from '../../src/fetch/replayable-request.ts';

describe('withAuthorization', () => {
  it('replaces any spelling of Authorization in plain headers, without touching the caller’s object', async () => {
    const headers = { Authorization: 'Basic old', 'content-type': 'application/json' };
    const request = await toReplayable('https://h/mcp', { method: 'POST', headers, body: '{}' });
    const init = withAuthorization(request, 'Bearer t');
    expect(init.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer t' });
    expect(headers.Authorization).toBe('Basic old');
    expect(withAuthorization(request, undefined).headers).toEqual({
      'content-type': 'application/json',
    });
  });

  it('handles Headers objects and header arrays too', async () => {
    const fromHeaders = withAuthorization(
      await toReplayable('https://h/mcp', { headers: new Headers({ AUTHORIZATION: 'x', a: '1' }) }),
      'Bearer t',
    );
    expect(new Headers(fromHeaders.headers).get('authorization')).toBe('Bearer t');
    const fromArray = withAuthorization(
      await toReplayable('https://h/mcp', { headers: [['Authorization', 'x']] }),
      'Bearer t',
    );
    expect(new Headers(fromArray.headers).get('authorization')).toBe('Bearer t');
  });

  it('buffers a streamed body so the request can be replayed', async () => {
    const body = new ReadableStream({
      start: (c) => (c.enqueue(new TextEncoder().encode('{"a":1}')), c.close()),
    });
    const request = await toReplayable('https://h/mcp', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(new TextDecoder().decode(request.init.body as ArrayBuffer)).toBe('{"a":1}');
  });
});

describe('resourceMatcher', () => {
  it('matches the resource and what is below it, by prefix or by parsing', () => {
    const isFor = resourceMatcher('https://mcp.example.com/mcp');
    expect(isFor('https://mcp.example.com/mcp')).toBe(true);
    expect(isFor('https://mcp.example.com/mcp?session=1')).toBe(true);
    expect(isFor('https://mcp.example.com/mcp/sub')).toBe(true);
    expect(isFor('HTTPS://MCP.EXAMPLE.COM:443/mcp')).toBe(true);
    expect(isFor('https://mcp.example.com/mcp-evil')).toBe(false);
    expect(isFor('https://mcp.example.com.evil.example/mcp')).toBe(false);
    expect(isFor('https://other.example/mcp')).toBe(false);
  });
});
