/** The body grew past `maxResponseBytes` (or Content-Length announced more). */
export class BodyTooLargeSignal extends Error {
  constructor(
    readonly limit: number,
    readonly received: number,
  ) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** The body went silent for longer than `bodyTimeoutMs`. */
export class BodyIdleSignal extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response body data for ${timeoutMs} ms`);
  }
}

/** A failure after the response headers arrived: the server processed the request. */
export class BodyPhaseFailure extends Error {
  readonly code: string | undefined;
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.code = (cause as { code?: string }).code;
  }
}
