import { InputError } from '../core/errors.js';

/** IDX element types, keyed by the type byte of the magic number. */
export const IDX_TYPES = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
} as const;

export type IdxTypeCode = keyof typeof IDX_TYPES;
export type IdxTypeName = (typeof IDX_TYPES)[IdxTypeCode]['name'];
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxHeader {
  readonly type: IdxTypeName;
  readonly typeCode: IdxTypeCode;
  readonly dims: readonly number[];
  /** Bytes before the data: 4 + 4 * dims.length. */
  readonly headerBytes: number;
  /** Bytes of data the header promises (may exceed any real file: check it before allocating). */
  readonly dataBytes: number;
}

export interface IdxTensor extends IdxHeader {
  readonly data: IdxData;
}

/**
 * Parses an IDX header from the first bytes of the data (`head`). With
 * `fileSize` (a plain file on disk), the promised size is checked against it
 * before any data is allocated, so a header claiming billions of items fails
 * here. Without it, a stream that ends early is caught by readIdxChunks.
 */
export function parseIdxHeader(head: Uint8Array, name: string, fileSize?: number): IdxHeader {
  const fail = (problem: string): never => {
    throw new InputError(`${name}: ${problem}`);
  };
  const available = fileSize ?? head.length;
  const headerBytes = idxHeaderLength(head, name, available);
  if (headerBytes === undefined || head.length < headerBytes) {
    const ndim = head[3] ?? 0;
    return fail(`truncated: the header declares ${ndim} dimensions but the file has only ${available} bytes`);
  }
  const type = IDX_TYPES[head[2] as IdxTypeCode];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  let elements = 1n;
  for (let i = 0; i < head[3]!; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    dims.push(dim);
    elements *= BigInt(dim);
  }
  // Exact, so that no product of dimensions turns into Infinity or NaN; no file holds 2^53 bytes.
  const totalBytes = elements * BigInt(type.bytes);
  if (totalBytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail(`the header's dimensions ${dims.join('x')} promise ${totalBytes} bytes of data, more than any file can hold`);
  }
  const header = { type: type.name, typeCode: head[2] as IdxTypeCode, dims, headerBytes, dataBytes: Number(totalBytes) };
  if (fileSize !== undefined) checkIdxSize(header, fileSize, name);
  return header;
}

/**
 * The header's length in bytes once the first 4 bytes are known (undefined
 * before that, unless `total` says no more will come). Checks the magic
 * number, the element type and the number of dimensions.
 */
export function idxHeaderLength(head: Uint8Array, name: string, total?: number): number | undefined {
  const fail = (problem: string): never => {
    throw new InputError(`${name}: ${problem}`);
  };
  if (head.length < 4) {
    if (total === undefined) return undefined;
    fail(`not an IDX file: ${total} bytes, too short for the magic number`);
  }
  if (head[0] !== 0 || head[1] !== 0) {
    fail(`not an IDX file: magic number starts ${hex(head[0]!)} ${hex(head[1]!)}, expected 0x00 0x00`);
  }
  if (IDX_TYPES[head[2] as IdxTypeCode] === undefined) {
    fail(`unknown IDX element type byte ${hex(head[2]!)} (expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`);
  }
  if (head[3] === 0) fail('IDX header has 0 dimensions');
  return 4 + 4 * head[3]!;
}

/** Checks that a header and `totalBytes` of file agree exactly. */
export function checkIdxSize(header: IdxHeader, totalBytes: number, name: string, after = ''): void {
  const expected = header.headerBytes + header.dataBytes;
  if (expected === totalBytes) return;
  const values = `${header.dims.join('x')} ${header.type} values`;
  throw new InputError(
    `${name}: ` +
      (expected > totalBytes
        ? `truncated: header promises ${values}, ${expected} bytes in all, but the file has ${totalBytes} bytes${after}`
        : `size does not match header: ${values} need ${expected} bytes in all but the file has ${totalBytes} bytes${after}`),
  );
}

/** Values per item (the product of all dimensions but the first) and bytes per item. */
export function idxItemSize(header: IdxHeader): { values: number; bytes: number } {
  const values = header.dims.slice(1).reduce((a, b) => a * b, 1);
  return { values, bytes: values * IDX_TYPES[header.typeCode].bytes };
}

/**
 * Decodes big-endian IDX values. Unsigned bytes are returned as `raw`
 * itself, without a copy; every other type gets a new array.
 */
export function decodeIdxValues(type: IdxTypeName, raw: Uint8Array): IdxData {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (type) {
    case 'ubyte':
      return raw;
    case 'byte':
      return new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    case 'short':
      return decode(new Int16Array(raw.byteLength / 2), (i) => view.getInt16(2 * i, false));
    case 'int':
      return decode(new Int32Array(raw.byteLength / 4), (i) => view.getInt32(4 * i, false));
    case 'float':
      return decode(new Float32Array(raw.byteLength / 4), (i) => view.getFloat32(4 * i, false));
    case 'double':
      return decode(new Float64Array(raw.byteLength / 8), (i) => view.getFloat64(8 * i, false));
  }
}

/** Encodes a tensor as an IDX file (the inverse of parse and decode). */
export function encodeIdx(type: IdxTypeName, dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const code = Number(Object.keys(IDX_TYPES).find((k) => IDX_TYPES[Number(k) as IdxTypeCode].name === type));
  const size = IDX_TYPES[code as IdxTypeCode].bytes;
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const writers: Record<IdxTypeName, (offset: number, v: number) => void> = {
    ubyte: (o, v) => view.setUint8(o, v),
    byte: (o, v) => view.setInt8(o, v),
    short: (o, v) => view.setInt16(o, v, false),
    int: (o, v) => view.setInt32(o, v, false),
    float: (o, v) => view.setFloat32(o, v, false),
    double: (o, v) => view.setFloat64(o, v, false),
  };
  const write = writers[type];
  for (let i = 0; i < values.length; i++) write(headerBytes + i * size, values[i]!);
  return out;
}

function decode<T extends IdxData>(out: T, read: (i: number) => number): T {
  for (let i = 0; i < out.length; i++) out[i] = read(i);
  return out;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
