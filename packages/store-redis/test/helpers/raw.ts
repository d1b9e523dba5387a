import { createClient } from '@redis/client';

/** A plain node-redis client, to look at what the store wrote (and to damage it). */
export async function rawClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export type Raw = Awaited<ReturnType<typeof rawClient>>;

/** Every key and string/hash value in the database, as one text to search. */
export async function dump(raw: Raw): Promise<string> {
  const parts: string[] = [];
  for await (const keys of raw.scanIterator({ COUNT: 1000 })) {
    for (const key of keys) {
      parts.push(key);
      const type = await raw.type(key);
      if (type === 'string') parts.push(String(await raw.get(key)));
      if (type === 'hash') parts.push(JSON.stringify(await raw.hGetAll(key)));
    }
  }
  return parts.join('\n');
}
