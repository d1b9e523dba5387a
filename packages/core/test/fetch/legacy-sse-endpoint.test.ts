import { describe, expect, it } from 'vitest';
import { endpointEventUrl, watchEndpointEvent } from '../../src/fetch/legacy-sse-endpoint.ts';

const sse = (chunks: string[]) =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );

describe('endpointEventUrl', () => {
  it('finds the first complete endpoint event, resolved against the stream URL', () => {
    const text = 'event: endpoint\ndata: /messages?sessionId=abc\n\n';
    expect(endpointEventUrl(text, 'https://h.example/sse')?.href).toBe(
      'https://h.example/messages?sessionId=abc',
    );
  });
  it('waits for the blank line that ends the event, and skips other events', () => {
    expect(endpointEventUrl('event: endpoint\ndata: /m', 'https://h.example/sse')).toBeUndefined();
    const text = 'event: ping\ndata: x\n\r\nevent: endpoint\r\ndata: /m\r\n\r\n';
    expect(endpointEventUrl(text, 'https://h.example/sse')?.pathname).toBe('/m');
  });
});

describe('watchEndpointEvent', () => {
  it('passes every byte through and reports a same-origin endpoint split across chunks', async () => {
    const seen: string[] = [];
    const chunks = [
      'event: endp',
      'oint\ndata: /messages?sessionId=1\n',
      '\nevent: message\ndata: {}\n\n',
    ];
    const watched = watchEndpointEvent(sse(chunks), 'https://h.example/sse', (u) => seen.push(u));
    expect(await watched.text()).toBe(chunks.join(''));
    expect(seen).toEqual(['https://h.example/messages']);
  });

  it('ignores an endpoint on another origin, and responses that are not event streams', async () => {
    const seen: string[] = [];
    const other = sse(['event: endpoint\ndata: https://evil.example/messages\n\n']);
    await watchEndpointEvent(other, 'https://h.example/sse', (u) => seen.push(u)).text();
    const json = new Response('{}', { headers: { 'content-type': 'application/json' } });
    expect(watchEndpointEvent(json, 'https://h.example/sse', (u) => seen.push(u))).toBe(json);
    expect(seen).toEqual([]);
  });
});
