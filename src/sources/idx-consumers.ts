import { constants } from 'node:buffer';
import { joinBytes } from '../core/bytes.js';
import { InputError } from '../core/errors.js';
import { decodeIdxValues, IDX_TYPES, idxItemSize, type IdxData, type IdxHeader, type IdxTensor } from './idx-format.js';
import type { IdxConsumer, IdxContext } from './idx-chunks.js';

const FIRST_ALLOCATION = 1 << 20;

const newBytes = (length: number): Uint8Array => new Uint8Array(length);

/** The most bytes of data held in one array: Node's limit for a typed array (4 GiB in Node 20). */
export const MAX_IN_MEMORY_BYTES = constants.MAX_LENGTH;

/**
 * Collects the whole tensor in memory. When the size was checked in
 * advance the buffer is allocated once, by `allocate` if given (e.g. in the
 * kernels' memory, so they read the images in place); otherwise (gzip,
 * HTTP) it grows as data arrives, so a header promising terabytes costs
 * nothing until they come. Data larger than MAX_IN_MEMORY_BYTES is refused
 * at once.
 */
export function collectTensor(header: IdxHeader, context: IdxContext, allocate?: (bytes: number) => Uint8Array): IdxConsumer<IdxTensor> {
  if (header.dataBytes > MAX_IN_MEMORY_BYTES) {
    throw new InputError(`${context.name}: ${header.dataBytes} bytes of data are more than can be held in memory (${MAX_IN_MEMORY_BYTES} bytes); it has to be streamed from disk`);
  }
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
  let index = 0;
  const pieces = cutter(itemBytes);
  return {
    data(bytes) {
      for (const raw of pieces(bytes)) if (onItem(decodeIdxValues(header.type, raw), index++) === false) return false;
      return true;
    },
    end: () => index,
  };
}

/**
 * Cuts the data into batches of up to `rows` items, each batch one new
 * array of decoded values, and awaits `onBatch` for each before reading
 * on: memory holds one batch, whatever the file's size. Its result settles
 * once the last, short batch is handled too, to the number of items.
 */
export function eachBatch(
  header: IdxHeader,
  rows: number,
  onBatch: (batch: IdxData, first: number, count: number) => Promise<void>,
): IdxConsumer<Promise<number>> {
  const itemBytes = idxItemSize(header).bytes;
  const pieces = cutter(itemBytes * rows);
  let first = 0;
  const emit = async (raw: Uint8Array): Promise<void> => {
    const count = raw.length / itemBytes;
    await onBatch(decodeIdxValues(header.type, raw), first, count);
    first += count;
  };
  return {
    async data(bytes) {
      for (const raw of pieces(bytes)) await emit(raw);
    },
    end: async () => {
      const rest = pieces.rest();
      if (rest.length > 0) await emit(rest);
      return first;
    },
  };
}

/**
 * Checks, as the data arrives, that every value of a floating-point file is
 * a finite number within float32's range (what the network computes in);
 * integer files pass unread. The first bad value is an InputError naming
 * the item and position.
 */
export function checkFiniteValues(header: IdxHeader, context: IdxContext): IdxConsumer<void> {
  if (header.type !== 'float' && header.type !== 'double') return { data: () => true, end: () => undefined };
  const perItem = idxItemSize(header).values;
  const pieces = cutter(IDX_TYPES[header.typeCode].bytes * perItem);
  let offset = 0;
  return {
    data(bytes) {
      for (const raw of pieces(bytes)) {
        checkFiniteImages(decodeIdxValues(header.type, raw), perItem, context.name, offset);
        offset += raw.length / IDX_TYPES[header.typeCode].bytes;
      }
    },
    end: () => undefined,
  };
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** Throws an InputError naming the first value of `values` (the value at `offset` of the file) that is not finite in float32. */
export function checkFiniteImages(values: IdxData, perItem: number, name: string, offset = 0): void {
  if (values instanceof Float32Array || values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(Math.abs(v) <= FLOAT32_MAX)) {
        const at = offset + i;
        throw new InputError(`${name}: item ${Math.floor(at / perItem)} holds ${v} at value ${at % perItem}; images must be finite numbers within float32's range`);
      }
    }
  }
}

/** Reads past the data without keeping it (the file is only being checked). */
export function skipData(): IdxConsumer<void> {
  return { data: () => true, end: () => undefined };
}

/**
 * Cuts a stream of chunks into pieces of `size` bytes, each its own new
 * array; a piece spanning chunks is kept as parts meanwhile, so memory
 * follows what has arrived, not what a header claims. `rest()` is the last
 * short piece.
 */
function cutter(size: number): ((bytes: Uint8Array) => Uint8Array[]) & { rest(): Uint8Array } {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const cut = (bytes: Uint8Array): Uint8Array[] => {
    const out: Uint8Array[] = [];
    let offset = 0;
    if (pendingBytes > 0) {
      const take = Math.min(size - pendingBytes, bytes.length);
      pending.push(bytes.slice(0, take));
      pendingBytes += take;
      offset = take;
      if (pendingBytes < size) return out;
      out.push(joinBytes(pending));
      pending = [];
      pendingBytes = 0;
    }
    for (; offset + size <= bytes.length; offset += size) out.push(bytes.slice(offset, offset + size));
    if (offset < bytes.length) {
      pending.push(bytes.slice(offset));
      pendingBytes = bytes.length - offset;
    }
    return out;
  };
  return Object.assign(cut, { rest: () => joinBytes(pending) });
}
