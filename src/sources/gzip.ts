import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { bytesOf } from '../core/bytes.js';
import { InputError } from '../core/errors.js';

export type Compression = 'gzip' | 'none';

/** gzip streams start with 0x1f 0x8b (RFC 1952); IDX files with 0x00 0x00. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

export interface Decompressed {
  readonly compression: Compression;
  /** The data, gunzipped if it was gzip; iterate it once, to the end or until you stop. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/**
 * Looks at the first bytes and, if they are gzip's (whatever the file is
 * called), decompresses the rest as it arrives. Corrupt or truncated gzip
 * data is an InputError naming `name`. Chunks may be views of a buffer that
 * is reused once the next chunk is asked for: the plain ones are handed on
 * before that, and gzip's are copied (the decompressor keeps them queued).
 */
export async function decompressIfGzip(chunks: AsyncIterable<Uint8Array>, name: string): Promise<Decompressed> {
  const iterator = chunks[Symbol.asyncIterator]();
  const peeked: Uint8Array[] = [];
  let peekedBytes = 0;
  while (peekedBytes < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    peeked.push(next.value);
    peekedBytes += next.value.length;
  }
  const head = Uint8Array.from(peeked.flatMap((chunk) => Array.from(chunk.subarray(0, 2))));
  const gzip = isGzip(head);
  // peeked chunks are kept across reads: copies, in case the reader reuses its buffer
  peeked.forEach((chunk, i) => (peeked[i] = chunk.slice()));
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield* peeked;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield gzip ? next.value.slice() : next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return gzip ? { compression: 'gzip', chunks: gunzip(all(), name) } : { compression: 'none', chunks: all() };
}

async function* gunzip(chunks: AsyncGenerator<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  const gunzipped = pipeline(Readable.from(chunks), createGunzip(), () => {
    // errors surface through the iteration below
  });
  try {
    for await (const chunk of gunzipped) yield bytesOf(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new InputError(`${name}: corrupt gzip data (${(error as Error).message})`);
    }
    throw error;
  } finally {
    gunzipped.destroy();
  }
}
