import { decompressIfGzip, type Compression } from './gzip.js';
import { readIdxChunks, type IdxConsumerFactory } from './idx-chunks.js';

export interface IdxInputOptions {
  /** The input's size as stored, when known: for a plain input, checked against the header before any data is read. */
  readonly size?: number | undefined;
  /** Whether the input can be read again (default true). */
  readonly rereadable?: boolean;
}

/**
 * Reads an IDX input, plain or gzip, arriving as the chunks it is stored
 * in: gunzips it if need be and parses it as readIdxChunks does (`read` is
 * undefined if the consumer stopped early).
 */
export async function readIdxInput<R>(
  stored: AsyncIterable<Uint8Array>,
  name: string,
  consume: IdxConsumerFactory<R>,
  options: IdxInputOptions = {},
): Promise<{ readonly compression: Compression; readonly read: { readonly result: R } | undefined }> {
  const { compression, chunks } = await decompressIfGzip(stored, name);
  const plain = compression === 'none';
  const size = plain ? options.size : undefined;
  const read = await readIdxChunks(chunks, name, consume, { ...(size !== undefined ? { size } : {}), after: plain ? '' : ' after gunzip', rereadable: options.rereadable ?? true });
  return { compression, read };
}
