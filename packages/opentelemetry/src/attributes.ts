import type { OAuthHttpRequest } from '@mcp-oauth/core';
import type { Attributes } from '@opentelemetry/api';

/**
 * The OpenTelemetry HTTP client attributes of one OAuth request (semantic conventions:
 * `http.request.method`, `server.address`, `server.port`, `url.full`,
 * `http.response.status_code`, `error.type`), and the request's kind and grant type.
 * The URL comes without query or fragment: core publishes nothing else.
 */
export function requestAttributes(request: OAuthHttpRequest, withUrl: boolean): Attributes {
  const url = new URL(request.url);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'server.address': url.hostname,
    'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    'mcp_oauth.request.kind': request.kind,
  };
  if (withUrl) attributes['url.full'] = request.url;
  if (request.grantType) attributes['mcp_oauth.grant_type'] = request.grantType;
  if (request.status !== undefined) attributes['http.response.status_code'] = request.status;
  const errorType = errorTypeOf(request);
  if (errorType) attributes['error.type'] = errorType;
  return attributes;
}

/** `error.type`: the error's code when the request failed, the status code from 400 up. */
export function errorTypeOf(request: OAuthHttpRequest): string | undefined {
  if (request.error !== undefined) {
    const code = (request.error as { code?: unknown }).code;
    return typeof code === 'string' ? code : '_OTHER';
  }
  return request.status !== undefined && request.status >= 400 ? String(request.status) : undefined;
}
