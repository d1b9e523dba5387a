/** True when a Content-Type names `text/event-stream` (parameters ignored). */
export function isEventStream(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'text/event-stream';
}
