import { InputError } from '../errors.js';

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
  readonly dataBytes: number;
}

export interface IdxTensor extends IdxHeader {
  readonly data: IdxData;
}

/** The longest possible header: the magic number and 255 dimensions. */
export const MAX_IDX_HEADER_BYTES = 4 + 4 * 255;

/**
 * Reads and checks an IDX header from the first bytes of a file whose total
 * size is `fileSize`. Everything is checked against the size before any data
 * is allocated, so a header claiming billions of items fails here.
 */
export function parseIdxHeader(head: Uint8Array, fileSize: number, name: string): IdxHeader {
  const fail = (problem: string): never => {
    throw new InputError(`${name}: ${problem}`);
  };
  if (fileSize < 4 || head.length < 4) fail(`not an IDX file: ${fileSize} bytes, too short for the magic number`);
  if (head[0] !== 0 || head[1] !== 0) {
    fail(`not an IDX file: magic number starts ${hex(head[0]!)} ${hex(head[1]!)}, expected 0x00 0x00`);
  }
  const typeCode = head[2]!;
  const type = IDX_TYPES[typeCode as IdxTypeCode];
  if (type === undefined) {
    fail(`unknown IDX element type byte ${hex(typeCode)} (expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`);
  }
  const ndim = head[3]!;
  if (ndim === 0) fail('IDX header has 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (fileSize < headerBytes || head.length < headerBytes) {
    fail(`truncated: the header declares ${ndim} dimensions but the file has only ${fileSize} bytes`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  let elements = 1;
  for (let i = 0; i < ndim; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    dims.push(dim);
    elements *= dim;
  }
  const dataBytes = elements * type!.bytes;
  const expected = headerBytes + dataBytes;
  if (expected !== fileSize) {
    const shape = dims.join('x');
    fail(
      expected > fileSize
        ? `truncated: header promises ${shape} ${type!.name} values, ${expected} bytes in all, but the file has ${fileSize} bytes`
        : `size does not match header: ${shape} ${type!.name} values need ${expected} bytes in all but the file has ${fileSize} bytes`,
    );
  }
  return { type: type!.name, typeCode: typeCode as IdxTypeCode, dims, headerBytes, dataBytes };
}

/**
 * Decodes the big-endian data that follows `header` in `bytes`. Unsigned
 * bytes are returned as a view of `bytes`, without a copy.
 */
export function decodeIdxData(header: IdxHeader, bytes: Uint8Array): IdxData {
  const start = header.headerBytes;
  const count = header.dataBytes / IDX_TYPES[header.typeCode].bytes;
  const raw = bytes.subarray(start, start + header.dataBytes);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (header.type) {
    case 'ubyte':
      return raw;
    case 'byte':
      return new Int8Array(raw.buffer, raw.byteOffset, count);
    case 'short':
      return decode(new Int16Array(count), (i) => view.getInt16(2 * i, false));
    case 'int':
      return decode(new Int32Array(count), (i) => view.getInt32(4 * i, false));
    case 'float':
      return decode(new Float32Array(count), (i) => view.getFloat32(4 * i, false));
    case 'double':
      return decode(new Float64Array(count), (i) => view.getFloat64(8 * i, false));
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
