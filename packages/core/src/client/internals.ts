import type { FlowContext } from '../flow/context.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { ServerSession } from '../session/session.ts';

/**
 * What the optional operations (introspection, registration management: `@mcp-oauth/core/
 * management`) need of a client, read from its `internals` property. Not a stable API for
 * applications.
 */
export interface ClientInternals {
  ctx: FlowContext;
  session: ServerSession;
  config: ClientConfig;
  /** Runs an operation, reporting its failure as a `failure` event. */
  reported<T>(operation: () => Promise<T>): Promise<T>;
}
