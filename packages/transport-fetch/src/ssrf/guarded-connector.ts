import { buildConnector } from 'undici';
import { blockedLiteral } from './blocked-addresses.ts';

/**
 * A connector that refuses address literals in blocked ranges on every connection it makes,
 * redirect hops included (undici follows a redirect with the same dispatcher). Names are
 * checked by the `lookup` in `options`; a literal skips `lookup`, hence this check.
 */
export function guardedConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options);
  return (connectOptions, callback) => {
    const blocked = blockedLiteral(connectOptions.hostname);
    if (blocked) {
      callback(blocked, null);
      return;
    }
    connect(connectOptions, callback);
  };
}
