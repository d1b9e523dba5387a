import type { FetchLike, TokenStore } from '@mcp-oauth/core';
import type { RemedyTarget } from './option-flags.ts';
import { createOutput, type Output } from './output.ts';
import { type GlobalFlags, resolveSettings, type Settings } from './settings.ts';
import type { OpenedStore } from './stores/open-store.ts';
import type { TransportSettings } from './transports.ts';

/** What every command gets: settings, output, the store (opened on first use) and HTTP. */
export interface CommandContext {
  settings: Settings;
  out: Output;
  /** HTTP with the command line's settings only (servers' own settings: `fetchFor`). */
  fetch: FetchLike;
  /** HTTP with a server's settings (extra CA certificates, size limit). */
  fetchFor(server?: TransportSettings): FetchLike;
  /** The server the command is about, once known: error messages show commands for it. */
  target: RemedyTarget | undefined;
  store(): Promise<TokenStore>;
  storeInfo(): Promise<OpenedStore>;
  close(): Promise<void>;
}

export function createContext(flags: GlobalFlags): CommandContext {
  const settings = resolveSettings(flags);
  const out = createOutput({ quiet: settings.quiet });
  let opened: Promise<OpenedStore> | undefined;
  const storeInfo = () => {
    opened ??= import('./stores/open-store.ts')
      .then(({ openStore }) => openStore(settings, out))
      .then((info) => {
        if (settings.verbose)
          out.info(
            `store: ${info.store.description}${info.reason ? ` (auto: ${info.reason})` : ''}`,
          );
        return info;
      });
    return opened;
  };
  // HTTP (undici) is loaded on the first request: commands that answer from the store
  // (token, header, list, show with a valid token) never load it
  let transports: Promise<(server?: TransportSettings) => FetchLike> | undefined;
  const fetchFor = (server?: TransportSettings): FetchLike => {
    let made: Promise<FetchLike> | undefined;
    return async (input, init) => {
      transports ??= import('./transports.ts').then((m) => m.createTransports(settings, out));
      made ??= transports.then((create) => create(server));
      return (await made)(input, init);
    };
  };
  return {
    settings,
    out,
    get fetch() {
      return fetchFor();
    },
    fetchFor,
    target: undefined,
    storeInfo,
    store: async () => (await storeInfo()).store,
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.store.close?.();
    },
  };
}
