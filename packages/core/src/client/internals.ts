import type { FlowContext } from '../flow/context.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { ServerSession } from '../session/session.ts';

/** What the optional operations (introspection, registration management) need of a client. */
export interface ClientInternals {
  ctx: FlowContext;
  session: ServerSession;
  config: ClientConfig;
  /** Runs an operation, reporting its failure as a `failure` event. */
  reported<T>(operation: () => Promise<T>): Promise<T>;
}

const internals = new WeakMap<object, ClientInternals>();

export function registerInternals(client: object, value: ClientInternals): void {
  internals.set(client, value);
}

/** The internals of a client made by `createOAuthClient`. */
export function internalsOf(client: object): ClientInternals {
  const found = internals.get(client);
  if (!found) throw new TypeError('Not a client created by createOAuthClient.');
  return found;
}
