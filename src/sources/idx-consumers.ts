import { decodeIdxValues, idxItemSize, type IdxData, type IdxHeader, type IdxTensor } from './idx-format.js';
import type { IdxConsumer } from './idx-chunks.js';

const FIRST_ALLOCATION = 1 << 20;

const newBytes = (length: number): Uint8Array => new Uint8Array(length);

/**
 * Collects the whole tensor in memory. When the size was checked in
 * advance the buffer is allocated once, by `allocate` if given (e.g. in the
 * kernels' memory, so they read the images in place); otherwise (gzip,
 * HTTP) it grows as data arrives, so a header promising terabytes costs
 * nothing until they come.
 */
export function collectTensor(header: IdxHeader, context: { readonly sizeChecked: boolean }, allocate?: (bytes: number) => Uint8Array): IdxConsumer<IdxTensor> {
  let buffer = context.sizeChecked ? (allocate ?? newBytes)(header.dataBytes) : new Uint8Array(Math.min(header.dataBytes, FIRST_ALLOCATION));
  let length = 0;
  return {
    data(bytes) {
      if (length + bytes.length > buffer.length) {
        const grown = new Uint8Array(Math.min(header.dataBytes, Math.max(2 * buffer.length, length + bytes.length)));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(bytes, length);
      length += bytes.length;
    },
    end: () => ({ ...header, data: decodeIdxValues(header.type, buffer.subarray(0, length)) }),
  };
}

/**
 * Cuts the data into items (one image, one label) and hands each to
 * `onItem` as its own new array. Return false from `onItem` to stop.
 */
export function eachItem(header: IdxHeader, onItem: (item: IdxData, index: number) => boolean | void): IdxConsumer<number> {
  const itemBytes = idxItemSize(header).bytes;
  // A partial item spanning chunks is kept as pieces, so memory follows what has arrived, not what the header claims.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let index = 0;
  const emit = (raw: Uint8Array): boolean => onItem(decodeIdxValues(header.type, raw), index++) !== false;
  return {
    data(bytes) {
      let offset = 0;
      if (pendingBytes > 0) {
        const take = Math.min(itemBytes - pendingBytes, bytes.length);
        pending.push(bytes.slice(0, take));
        pendingBytes += take;
        offset = take;
        if (pendingBytes < itemBytes) return true;
        const item = join(pending, itemBytes);
        pending = [];
        pendingBytes = 0;
        if (!emit(item)) return false;
      }
      for (; offset + itemBytes <= bytes.length; offset += itemBytes) {
        if (!emit(bytes.slice(offset, offset + itemBytes))) return false;
      }
      if (offset < bytes.length) {
        pending.push(bytes.slice(offset));
        pendingBytes = bytes.length - offset;
      }
      return true;
    },
    end: () => index,
  };
}

/** Reads past the data without keeping it (the file is only being checked). */
export function skipData(): IdxConsumer<void> {
  return { data: () => true, end: () => undefined };
}

function join(pieces: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
