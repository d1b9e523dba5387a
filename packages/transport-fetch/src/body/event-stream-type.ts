const EVENT_STREAM = 'text/event-stream';

/** True when a Content-Type names `text/event-stream` (parameters ignored). */
export function isEventStream(contentType: string | null | undefined): boolean {
  // Fast rejection without allocating: the type, once trimmed, must be 17 characters long and
  // (in any case) start with 't' once trimmed: a first character that is printable ASCII and
  // not 't' rules it out. `application/json` and the like stop here.
  if (contentType === null || contentType === undefined || contentType.length < 17) return false;
  const first = contentType.charCodeAt(0);
  if (first !== 0x74 && first !== 0x54 && first > 0x20 && first < 0x7f) return false;
  return contentType.split(';')[0]?.trim().toLowerCase() === EVENT_STREAM;
}
