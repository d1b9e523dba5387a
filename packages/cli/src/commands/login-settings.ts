import type { CliAliasRecord, ServerSettings } from '../aliases.ts';
import { authorizationServerFromOptions } from '../authorization-server-flags.ts';
import { readCaFiles } from '../ca-files.ts';
import { usageError } from '../exit-codes.ts';
import { quirksFromOptions } from '../quirk-flags.ts';

/** What `login` is told on its command line. */
export interface LoginOptions {
  name?: string;
  scope?: string[];
  device?: boolean;
  browser?: boolean;
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  dpop?: 'auto' | 'always' | 'off';
  allowHttp?: boolean;
  ca?: string[];
  maxResponseBytes?: string;
  port?: string;
  timeout: string;
  qr: boolean;
  withToken?: boolean;
  json?: boolean;
  [quirk: string]: unknown;
}

/**
 * `--client-metadata-url`: an https URL with a path (a Client ID Metadata Document's URL is the
 * client id); the authorization server checks the rest when it fetches the document.
 */
function checkClientMetadataUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.pathname === '/')
    throw usageError(
      `--client-metadata-url must be an https URL with a path, where this client's metadata document is served (got "${value}").`,
    );
}

export function serverSettings(
  options: LoginOptions,
  env: NodeJS.ProcessEnv,
  existing: CliAliasRecord | undefined,
): ServerSettings {
  const quirks = quirksFromOptions(options);
  const authorizationServer = authorizationServerFromOptions(options);
  const secret = options.clientSecret ?? (env.MCP_OAUTH_CLIENT_SECRET || undefined);
  const remembered = existing?.settings ?? {};
  if (secret && !options.clientId && !remembered.clientId)
    throw usageError('--client-secret needs --client-id.');
  if (options.clientMetadataUrl !== undefined) checkClientMetadataUrl(options.clientMetadataUrl);
  const given: ServerSettings = {
    ...(options.scope?.length
      ? { scopes: options.scope.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean) }
      : {}),
    ...(Object.keys(quirks).length ? { quirks } : {}),
    ...(authorizationServer ? { authorizationServer } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(secret ? { clientSecret: secret } : {}),
    ...(options.clientMetadataUrl ? { clientMetadataUrl: options.clientMetadataUrl } : {}),
    ...(options.dpop ? { dpop: options.dpop } : {}),
    ...(options.allowHttp ? { allowHttp: true } : {}),
    ...(options.ca?.length ? { ca: readCaFiles(options.ca) } : {}),
    ...(options.maxResponseBytes === undefined
      ? {}
      : {
          maxResponseBytes: parsePositive(
            options.maxResponseBytes,
            '--max-response-bytes',
            2 ** 31 - 1,
          ),
        }),
  };
  // A later login of a name keeps what the earlier ones were given; flags given now replace
  // the settings they set (quirk flags add to the quirks kept).
  const merged: ServerSettings = { ...remembered, ...given };
  if (remembered.quirks && given.quirks) merged.quirks = { ...remembered.quirks, ...given.quirks };
  // how the client is identified is one setting: a client id (with its secret) or a metadata
  // document URL given now replaces the kept one whole (a kept client id would otherwise win
  // over a new metadata document, and a kept secret belongs to the kept client)
  if (given.clientId || given.clientMetadataUrl) {
    for (const key of ['clientId', 'clientSecret', 'clientMetadataUrl'] as const)
      if (given[key] === undefined) delete merged[key];
  }
  return merged;
}

/** A whole number from 1 to `max` given to `flag`, else a usage error naming the flag. */
export function parsePositive(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max)
    throw usageError(`${flag} must be a whole number between 1 and ${max} (got "${value}").`);
  return n;
}
