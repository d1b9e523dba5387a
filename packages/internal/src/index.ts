export { backoffDelay, parseRetryAfter, type RetryOptions } from './backoff.ts';
export { redactUrl } from './redact-url.ts';
export { sleep } from './sleep.ts';
export { printable, UNPRINTABLE } from './unprintable.ts';
