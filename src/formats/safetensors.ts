import type { NamedTensor } from '../core/dtype.js';
import { InputError } from '../core/errors.js';

export type { NamedTensor } from '../core/dtype.js';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header padded with spaces to a multiple of 8, then
 * the raw little-endian tensor data. rxnn stores F32 tensors; metadata
 * values are strings.
 */
export interface SafetensorsFile {
  readonly tensors: readonly { name: string; shape: number[]; data: Float32Array }[];
  readonly metadata: Readonly<Record<string, string>>;
}

const MAX_HEADER_BYTES = 100_000_000;

/** Serialises tensors as F32, in the order given, contiguous. */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, position += 4) view.setFloat32(position, t.data[i]!, true);
  }
  return out;
}

/** Parses and checks a safetensors file holding F32 tensors; `name` is used in errors. */
export function decodeSafetensors(bytes: Uint8Array, name: string): SafetensorsFile {
  const fail = (problem: string): never => {
    throw new InputError(`${name}: ${problem}`);
  };
  if (bytes.length < 8) fail('not a safetensors file: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
    fail(`not a safetensors file: header length ${headerLength} does not fit in ${bytes.length} bytes`);
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch {
    return fail('not a safetensors file: header is not JSON');
  }
  if (!isRecord(header)) return fail('not a safetensors file: header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataBytes = bytes.length - dataStart;
  const metadata = header['__metadata__'] ?? {};
  if (!isRecord(metadata) || !Object.values(metadata).every((v) => typeof v === 'string')) {
    return fail('header "__metadata__" must map names to strings');
  }
  const entries: { name: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [key, entry] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (isRecord(entry) ? entry : {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isIndexList(shape) || !isIndexList(offsets) || offsets.length !== 2) {
      return fail(`tensor ${key}: header entry needs a shape and two data_offsets, all non-negative integers`);
    }
    if (dtype !== 'F32') fail(`tensor ${key} has dtype ${String(dtype)}; rxnn reads F32`);
    const [begin, end] = offsets as [number, number];
    const elements = shape.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end <= dataBytes && end - begin === elements * 4)) {
      fail(`tensor ${key}: offsets [${begin}, ${end}] do not hold shape [${shape}] within ${dataBytes} data bytes`);
    }
    entries.push({ name: key, shape, begin, end });
  }
  // Tensors may not share bytes: each is then read once, so a header cannot make the reader allocate more than the file holds.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  sorted.forEach((t, i) => {
    const next = sorted[i + 1];
    if (next !== undefined && next.begin < t.end) fail(`tensors ${t.name} and ${next.name} overlap in the data`);
  });
  const tensors: { name: string; shape: number[]; data: Float32Array }[] = [];
  for (const { name: key, shape, begin } of entries) {
    const elements = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(elements);
    for (let i = 0; i < elements; i++) data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
    tensors.push({ name: key, shape, data });
  }
  return { tensors, metadata: metadata as Record<string, string> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndexList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && v >= 0);
}
