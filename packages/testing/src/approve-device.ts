import { excerpt, type FetchLike, HeadlessBrowser } from './browser.ts';

export interface ApproveDeviceOptions {
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
