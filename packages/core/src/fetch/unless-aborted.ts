/**
 * What a request waits for before it is sent (tokens: a refresh, a login through the
 * interaction, the store's lock), unless the caller's `signal` aborts first: then the request
 * rejects at once with the signal's reason, as `fetch` does. An already-aborted signal rejects
 * without starting `wait`. A started wait goes on: a refresh or a login is shared by every
 * caller of the client (single-flight), so one caller's abort stops only its own waiting.
 */
export function unlessAborted<T>(
  signal: AbortSignal | null | undefined,
  wait: () => Promise<T>,
): Promise<T> {
  return signal
    ? new Promise<T>((resolve, reject) => {
        signal.throwIfAborted();
        const abort = () => reject(signal.reason);
        signal.addEventListener('abort', abort);
        wait()
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', abort));
      })
    : wait();
}
