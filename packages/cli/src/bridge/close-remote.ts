import type { BridgeOptions } from './bridge.ts';
import type { RemoteTransport } from './create-bridge.ts';
import { errorText } from './describe-error.ts';

/** Ends a Streamable HTTP session politely (bounded), then closes the transport. */
export async function closeRemote(
  transport: RemoteTransport & { terminateSession?(): Promise<void> },
  log: NonNullable<BridgeOptions['log']>,
): Promise<void> {
  if (transport.sessionId && transport.terminateSession) {
    await Promise.race([
      transport
        .terminateSession()
        .catch((error: unknown) => log('debug', `session not terminated: ${errorText(error)}`)),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }
  await transport.close().catch(() => {});
}
