import { channel } from 'node:diagnostics_channel';

/**
 * The diagnostics channel `mcp-oauth:http.retry`: each retry this transport makes, as the
 * `RetryEvent` that `onRetry` receives (method, URL without query, attempt, delay, failure).
 * Published only while someone subscribes.
 */
export const retryChannel = channel('mcp-oauth:http.retry');
