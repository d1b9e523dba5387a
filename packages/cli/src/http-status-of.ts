/** The HTTP status of the SDK transports' errors (`StreamableHTTPError`, `SseError`), if any. */
export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}
