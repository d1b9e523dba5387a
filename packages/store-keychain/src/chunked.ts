import { createHash, randomBytes } from 'node:crypto';
import { McpOAuthError } from '@mcp-oauth/core/store';
import type { Accounts } from './accounts.ts';
import type { Encoded, Encoding } from './codec.ts';
import type { SecretBackend } from './keyring.ts';

/**
 * Values larger than one entry may hold are split into chunks. Windows Credential Manager
 * caps a blob at 2,560 bytes; every platform uses the same conservative size so that a
 * keychain synced or migrated between machines reads the same everywhere.
 */
export const CHUNK_SIZE = 2_000;
/** Payloads up to this size live inside the manifest itself: one entry, one atomic write. */
const INLINE_MAX = 1_700;

interface ManifestHeader {
  v: 1;
  enc: Encoding;
  len: number;
  sha256: string;
  /** Generation id of the chunks; absent when the payload is inline. */
  gen?: string;
  chunks: number;
}

export interface Manifest extends ManifestHeader {
  inline: Uint8Array | undefined;
}

const NEWLINE = 0x0a;

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

function serializeManifest(header: ManifestHeader, inline?: Uint8Array): Uint8Array {
  const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  return inline ? Buffer.concat([head, inline]) : head;
}

/** A manifest, or `undefined` when the bytes are not one (the caller reports corruption). */
export function parseManifest(bytes: Uint8Array): Manifest | undefined {
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) return undefined;
  let header: Partial<ManifestHeader>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8'));
  } catch {
    return undefined;
  }
  if (
    header.v !== 1 ||
    (header.enc !== 'br' && header.enc !== 'raw') ||
    !Number.isSafeInteger(header.len) ||
    typeof header.sha256 !== 'string' ||
    !Number.isSafeInteger(header.chunks) ||
    (header.chunks as number) < 0 ||
    ((header.chunks as number) > 0 && typeof header.gen !== 'string')
  ) {
    return undefined;
  }
  const inline = header.chunks === 0 ? bytes.subarray(end + 1) : undefined;
  return { ...(header as ManifestHeader), inline };
}

export interface ChunkedIo {
  /** Reads the payload the manifest points at; `undefined` when any part is missing or wrong. */
  readPayload(manifest: Manifest): Promise<Uint8Array | undefined>;
  /**
   * Writes `encoded` so that `manifestAccount` points at it, then frees what the manifest
   * pointed at before (`previous`). New chunks go under a fresh generation id before the
   * manifest moves: a crash at any point leaves either the old or the new value readable.
   */
  write(manifestAccount: string, encoded: Encoded, previous: Manifest | undefined): Promise<void>;
  /** Deletes the manifest first (so nobody reads a half-deleted value), then the chunks. */
  remove(manifestAccount: string, manifest: Manifest | undefined): Promise<boolean>;
}

export function chunkedIo(backend: SecretBackend, accounts: Accounts): ChunkedIo {
  const freeChunks = async (manifest: Manifest | undefined) => {
    if (!manifest?.gen) return;
    const gen = manifest.gen;
    // Best effort: a chunk left behind is unreachable garbage, never a wrong value.
    await Promise.allSettled(
      Array.from({ length: manifest.chunks }, (_, i) => backend.remove(accounts.chunk(gen, i))),
    );
  };

  return {
    async readPayload(manifest) {
      let payload: Uint8Array | undefined = manifest.inline;
      if (manifest.gen !== undefined && manifest.chunks > 0) {
        const gen = manifest.gen;
        const parts = await Promise.all(
          Array.from({ length: manifest.chunks }, (_, i) => backend.read(accounts.chunk(gen, i))),
        );
        if (parts.some((part) => part === undefined)) return undefined;
        payload = Buffer.concat(parts as Uint8Array[]);
      }
      if (!payload || payload.length !== manifest.len || sha256(payload) !== manifest.sha256) {
        return undefined;
      }
      return payload;
    },

    async write(manifestAccount, encoded, previous) {
      const { data, encoding } = encoded;
      const base = { v: 1, enc: encoding, len: data.length, sha256: sha256(data) } as const;
      if (data.length <= INLINE_MAX) {
        await backend.write(manifestAccount, serializeManifest({ ...base, chunks: 0 }, data));
        await freeChunks(previous);
        return;
      }
      const gen = randomBytes(9).toString('base64url');
      const chunks = Math.ceil(data.length / CHUNK_SIZE);
      const written: number[] = [];
      try {
        for (let i = 0; i < chunks; i++) {
          await backend.write(
            accounts.chunk(gen, i),
            data.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE),
          );
          written.push(i);
        }
        await backend.write(manifestAccount, serializeManifest({ ...base, gen, chunks }));
      } catch (error) {
        // The manifest still points at the previous generation: drop the new one.
        await Promise.allSettled(written.map((i) => backend.remove(accounts.chunk(gen, i))));
        throw error;
      }
      await freeChunks(previous);
    },

    async remove(manifestAccount, manifest) {
      const existed = await backend.remove(manifestAccount);
      await freeChunks(manifest);
      return existed;
    },
  };
}

export function corruptError(key: string, service: string, cause?: unknown): McpOAuthError {
  return new McpOAuthError(
    'store_corrupt',
    `The keychain record "${key}" (service "${service}") is incomplete or damaged: a chunk is missing or does not match its manifest. Delete the record (it will be re-created by a new authorization) or restore the keychain from a backup.`,
    { cause, details: { key, service } },
  );
}
