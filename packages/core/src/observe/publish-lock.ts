import { McpOAuthError } from '../errors/error.ts';
import type { Channel } from './diagnostics-channel.ts';
import type { StoreLockMessage } from './observe-lock.ts';

/** Awaits `acquire`, then publishes how long it took and how it ended. Loaded while someone subscribes. */
export async function publishLock<L>(
  channel: Channel,
  { store, key, started }: { store: string; key: string; started: number },
  acquire: () => Promise<L>,
): Promise<L> {
  const publish = (outcome: StoreLockMessage['outcome'], code?: string) =>
    channel.publish({
      store,
      key,
      outcome,
      waitedMs: performance.now() - started,
      ...(code ? { code } : {}),
    } satisfies StoreLockMessage);
  try {
    const lock = await acquire();
    publish('acquired');
    return lock;
  } catch (error) {
    const code = McpOAuthError.isInstance(error) ? error.code : undefined;
    publish(code === 'store_lock_timeout' ? 'timeout' : 'error', code);
    throw error;
  }
}
