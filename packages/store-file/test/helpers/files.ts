import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every regular file under `dir`, recursively, with its bytes. */
export async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(path)));
    else if (entry.isFile()) out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

/** The record files of a namespace. */
export async function recordFiles(root: string, namespace = 'default'): Promise<string[]> {
  const dir = join(root, 'namespaces', namespace);
  return (await readdir(dir)).filter((n) => n.endsWith('.rec')).map((n) => join(dir, n));
}
