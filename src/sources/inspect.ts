import type { IdxConsumer } from './idx-chunks.js';
import { decodeIdxValues, IDX_TYPES, type IdxHeader } from './idx-format.js';
import { readIdxSource, type SourceOptions } from './idx-source.js';
import type { Compression } from './gzip.js';

/** Distinct values beyond which a 1-D file is not treated as labels. */
const MAX_LABEL_VALUES = 65536;

/** The facts `rxnn inspect` reports about one IDX input. */
export interface IdxInspection {
  /** The path or URL as given. */
  readonly source: string;
  /** The local file read: the path, or a URL's cache file. */
  readonly path: string;
  readonly compression: Compression;
  /** Size of the file as stored. */
  readonly bytes: number;
  readonly sha256: string;
  readonly type: IdxHeader['type'];
  readonly dims: readonly number[];
  readonly items: number;
  readonly itemShape: readonly number[];
  /** Smallest and largest value (undefined when there are none). */
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** For one-dimensional integer data: how many items carry each value. */
  readonly labels: { readonly classes: number; readonly counts: Readonly<Record<string, number>> } | undefined;
}

/** Reads an input to the end (downloading a URL into the cache) and reports what it holds, without keeping the data. */
export async function inspectIdx(given: string, options: SourceOptions): Promise<IdxInspection> {
  const { facts, result } = await readIdxSource(given, options, valueSummary);
  const { header } = facts;
  return {
    source: given,
    path: facts.path,
    compression: facts.compression,
    bytes: facts.bytes,
    sha256: facts.sha256,
    type: header.type,
    dims: header.dims,
    items: header.dims[0]!,
    itemShape: header.dims.slice(1),
    ...result,
  };
}

type ValueSummary = Pick<IdxInspection, 'min' | 'max' | 'labels'>;

function valueSummary(header: IdxHeader): IdxConsumer<ValueSummary> {
  const size = IDX_TYPES[header.typeCode].bytes;
  const integer = header.type !== 'float' && header.type !== 'double';
  let counts: Map<number, number> | undefined = header.dims.length === 1 && integer ? new Map() : undefined;
  let carry = new Uint8Array(0);
  let min = Infinity;
  let max = -Infinity;
  const visit = (raw: Uint8Array): void => {
    const values = decodeIdxValues(header.type, raw);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      if (counts !== undefined) {
        counts.set(v, (counts.get(v) ?? 0) + 1);
        if (counts.size > MAX_LABEL_VALUES) counts = undefined;
      }
    }
  };
  return {
    data(bytes) {
      let piece = bytes;
      if (carry.length > 0) {
        const joined = new Uint8Array(carry.length + bytes.length);
        joined.set(carry);
        joined.set(bytes, carry.length);
        piece = joined;
      }
      const whole = piece.length - (piece.length % size);
      visit(piece.subarray(0, whole));
      carry = piece.slice(whole);
    },
    end() {
      const any = max >= min;
      return {
        min: any ? min : undefined,
        max: any ? max : undefined,
        labels: counts === undefined || min < 0 ? undefined : labelsOf(counts, max),
      };
    },
  };
}

function labelsOf(counts: Map<number, number>, max: number): ValueSummary['labels'] {
  const sorted = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  return { classes: Number.isFinite(max) ? max + 1 : 0, counts: Object.fromEntries(sorted.map(([k, v]) => [String(k), v])) };
}
