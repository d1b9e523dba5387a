import { excerpt, type FetchLike, HeadlessBrowser } from './browser.ts';

/**
 * Options of `approveDevice`.
 *
 * @example
 * ```ts
 * import { approveDevice, secretCollectingFetch } from '@mcp-oauth/testing';
 *
 * const { fetch } = secretCollectingFetch();
 * await approveDevice('http://127.0.0.1:4000/device', 'WDJB-MJHT', { fetch });
 * ```
 */
export interface ApproveDeviceOptions {
  /** The fetch used for the verification pages (default: the global fetch). */
  fetch?: FetchLike | undefined;
}

/**
 * Plays the person on the device verification page (RFC 8628): GET the page, POST its `xsrf`
 * with the `user_code` (confirmed), then the login and consent interactions, which the test
 * authorization server approves headlessly. A client polling the token endpoint then receives
 * tokens (or `access_denied` when the server was started with `denyConsent`).
 *
 * Throws an Error when the page does not end on the success page (unknown, expired or already
 * used code, or denied consent), with the page's error text.
 *
 * @example
 * ```ts
 * import { approveDevice, startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * // ... the client under test starts a device authorization and shows its user_code ...
 * const userCode = 'WDJB-MJHT';
 * await approveDevice(as.deviceVerificationUri, userCode);
 * ```
 */
export async function approveDevice(
  verificationUri: string | URL,
  userCode: string,
  options: ApproveDeviceOptions = {},
): Promise<void> {
  const pageUrl = new URL(verificationUri);
  pageUrl.search = '';
  const browser = new HeadlessBrowser(pageUrl.href, options.fetch);
  const form = await browser.request(pageUrl.href);
  const html = await form.text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!form.ok || !xsrf || !action) {
    throw new Error(`device verification page has no form: ${form.status}: ${excerpt(html)}`);
  }
  const end = await browser.walk(new URL(action, pageUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, user_code: userCode, confirm: 'yes' }).toString(),
  });
  if (end.kind === 'page' && end.body.includes('id="device-result"')) return;
  const where = end.kind === 'left' ? `redirected to ${end.location}` : excerpt(end.body);
  throw new Error(`device approval failed for user code ${userCode}: ${where}`);
}
