import { chromium } from 'playwright-core';
import { chromiumPath } from './runtimes.ts';
import type { PageServer } from './static-server.ts';

/**
 * Loads core as a browser module in Debian's headless Chromium (driven by playwright-core,
 * which never downloads a browser) and runs the flow there. Returns the flow's result and
 * the page's console errors.
 */
export async function runInChromium(options: {
  pages: PageServer;
  mcpUrl: string;
  /** core's ClientConfig, e.g. a pre-registered client id. */
  client?: Record<string, unknown>;
  timeoutMs: number;
}): Promise<{ result: unknown; version: string; consoleErrors: string[]; popupLog: string[] }> {
  const { pages, mcpUrl, client, timeoutMs } = options;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-popup-blocking',
    ],
    timeout: timeoutMs,
  });
  try {
    const context = await browser.newContext();
    // every navigation of the popup (redirects included), for the test and for error messages
    const popupLog: string[] = [];
    const page = await context.newPage();
    context.on('request', (request) => {
      // (the page's own navigation is to the page server's root; all others are the popup's)
      if (request.isNavigationRequest() && request.url() !== `${pages.url}/`)
        popupLog.push(request.url());
    });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await page.goto(`${pages.url}/`, { timeout: timeoutMs });
    await page
      .waitForFunction(() => document.title === 'ready', undefined, { timeout: timeoutMs })
      .catch((error: unknown) => {
        throw new Error(`the page did not load core: ${consoleErrors.join('; ') || String(error)}`);
      });
    const result = await page
      .evaluate(
        ([url, config]) =>
          (
            window as unknown as { runFlowInBrowser(u: string, c: unknown): Promise<unknown> }
          ).runFlowInBrowser(url, config),
        [mcpUrl, client] as const,
      )
      .catch((error: unknown) => {
        const log = popupLog.length ? `\npopup: ${popupLog.join(' -> ')}` : '';
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}${log}\nconsole: ${consoleErrors.join('; ')}`,
        );
      });
    return { result, version: browser.version(), consoleErrors, popupLog };
  } finally {
    await browser.close();
  }
}
