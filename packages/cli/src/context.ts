import type { FetchLike, TokenStore } from '@mcp-oauth/core';
import { createFetch } from '@mcp-oauth/transport-fetch';
import { createOutput, type Output } from './output.ts';
import { type GlobalFlags, resolveSettings, type Settings } from './settings.ts';
import { type OpenedStore, openStore } from './stores/open-store.ts';

/** What every command gets: settings, output, the store (opened on first use) and HTTP. */
export interface CommandContext {
  settings: Settings;
  out: Output;
  fetch: FetchLike;
  store(): Promise<TokenStore>;
  storeInfo(): Promise<OpenedStore>;
  close(): Promise<void>;
}

export function createContext(flags: GlobalFlags): CommandContext {
  const settings = resolveSettings(flags);
  const out = createOutput({ quiet: settings.quiet });
  let opened: Promise<OpenedStore> | undefined;
  const storeInfo = () => {
    opened ??= openStore(settings, out).then((info) => {
      if (settings.verbose)
        out.info(`store: ${info.store.description}${info.reason ? ` (auto: ${info.reason})` : ''}`);
      return info;
    });
    return opened;
  };
  const fetch = createFetch({
    onRetry: (event) => {
      if (settings.verbose)
        out.info(
          `retrying ${event.method} ${event.url} in ${event.delayMs} ms (attempt ${event.attempt} failed)`,
        );
    },
  });
  return {
    settings,
    out,
    fetch,
    storeInfo,
    store: async () => (await storeInfo()).store,
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.store.close?.();
    },
  };
}
