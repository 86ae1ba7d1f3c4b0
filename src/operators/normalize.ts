import { defer, finalize, type OperatorFunction } from 'rxjs';
import type { Batch } from '../model/batch.js';
import type { Kernels, SparseMatrix } from '../model/kernels/kernels.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import { StoredSample, type Sample } from '../sources/samples.js';
import { checkFinite } from '../checks.js';
import type { EpochEnd } from './epoch-end.js';
import { mapItems } from './map-items.js';

/** x' = x * scale + offset, applied to every input value. */
export interface Normalization {
  readonly scale: number;
  readonly offset: number;
}

/** Bytes 0..255 to 0..1, as the lesson does. */
export const UNIT_RANGE: Normalization = { scale: 1 / 255, offset: 0 };

export interface NormalizeOptions {
  /**
   * Reuse the batches' arrays instead of allocating new ones per batch:
   * a batch stays valid until two more have been emitted, which suits a
   * consumer that is done with each batch before it asks for the next
   * (training, evaluation). Default false: every batch is new.
   */
  readonly reuse?: boolean;
  /**
   * Kernels to allocate the input arrays (so wasm products read them in
   * place) and to scale them (default: the TypeScript kernels).
   */
  readonly kernels?: Kernels;
  /**
   * With reused arrays: find each byte batch's non-zeros straight from the
   * bytes (Batch.nonZeros), unless more than this share of the values are
   * non-zero; x is then made only if someone reads it. For a first layer
   * that starts from the non-zeros (Dense's SPARSE_MAX_DENSITY).
   */
  readonly sparse?: number;
}

/** How many batches' arrays a reusing subscription cycles through. */
const REUSED_BATCHES = 2;

/**
 * Turns arrays of samples into Float32 batches. The samples' images are
 * only read; each batch gets new arrays unless `reuse` is set.
 */
export function normalize(
  normalization: Normalization = UNIT_RANGE,
  options: NormalizeOptions = {},
): OperatorFunction<readonly Sample[] | EpochEnd, Batch | EpochEnd> {
  const { scale, offset } = normalization;
  checkFinite('scale', scale);
  checkFinite('offset', offset);
  const kernels = options.kernels ?? tsKernels;
  // non-zeros only into reused arrays: each set keeps its container in the kernels' memory
  const sparse = options.reuse === true ? options.sparse : undefined;
  const convert = (items: readonly Sample[], arrays: BatchArrays): Batch => toBatch(items, normalization, kernels, arrays, sparse);
  // Kernel memory is never given back, so only arrays that are reused come from it.
  if (options.reuse !== true) return mapItems((items: readonly Sample[]) => convert(items, newArrays((length) => new Float32Array(length))));
  const allocate = (length: number): Float32Array => kernels.allocate('float32', length) as Float32Array;
  /** Array sets of finished subscriptions, handed to the next ones (an evaluation subscribes once per epoch). */
  const idle: BatchArrays[][] = [];
  return (source) =>
    defer(() => {
      const pool = idle.pop() ?? Array.from({ length: REUSED_BATCHES }, () => newArrays(allocate));
      let next = 0;
      return source.pipe(
        mapItems((items: readonly Sample[]) => {
          const arrays = pool[next]!;
          next = (next + 1) % pool.length;
          return convert(items, arrays);
        }),
        finalize(() => idle.push(pool)),
      );
    });
}

/** A batch's arrays, grown when a larger batch arrives. */
interface BatchArrays {
  readonly allocate: (length: number) => Float32Array;
  x: Float32Array;
  labels: Int32Array;
  indices: Int32Array;
  /** Where each row's image begins in its data set's bytes. */
  offsets: Int32Array;
  /** The non-zeros of the batch, for `sparse`. */
  nonZeros?: SparseMatrix;
  /** Batches made with these arrays so far: a batch whose x is made late checks that its arrays are still its own. */
  uses: number;
}

function newArrays(allocate: (length: number) => Float32Array): BatchArrays {
  return { allocate, x: new Float32Array(0), labels: new Int32Array(0), indices: new Int32Array(0), offsets: new Int32Array(0), uses: 0 };
}

function toBatch(items: readonly Sample[], { scale, offset }: Normalization, kernels: Kernels, arrays: BatchArrays, sparse: number | undefined): Batch {
  const rows = items.length;
  const first = items[0];
  const cols = first === undefined ? 0 : first instanceof StoredSample ? first.size : first.image.length;
  if (arrays.x.length < rows * cols) arrays.x = arrays.allocate(rows * cols);
  if (arrays.labels.length < rows) {
    arrays.labels = new Int32Array(rows);
    arrays.indices = new Int32Array(rows);
    arrays.offsets = new Int32Array(rows);
  }
  const x = arrays.x.length === rows * cols ? arrays.x : arrays.x.subarray(0, rows * cols);
  const labels = arrays.labels.length === rows ? arrays.labels : arrays.labels.subarray(0, rows);
  const indices = arrays.indices.length === rows ? arrays.indices : arrays.indices.subarray(0, rows);
  arrays.uses++;
  // Byte images stored in one data set are gathered by one kernel call, straight from its bytes.
  const data = sharedBytes(items, cols);
  for (let r = 0; r < rows; r++) {
    const item = items[r]!;
    labels[r] = item.label;
    indices[r] = item.index;
    if (data !== undefined) {
      arrays.offsets[r] = (item as StoredSample).at;
      continue;
    }
    const image = item.image;
    if (image.length !== cols) {
      throw new RangeError(`normalize: sample ${item.index} has ${image.length} values, the batch's first has ${cols}`);
    }
    if (image instanceof Uint8Array) kernels.bytesToFloats(image, x, r * cols, scale, offset);
    else for (let i = r * cols, c = 0; c < cols; i++, c++) x[i] = image[c]! * scale + offset;
  }
  if (data === undefined) return { rows, cols, x, labels, indices };
  const offsets = arrays.offsets;
  const gather = (): Float32Array => {
    kernels.gatherBytes(data, offsets, rows, cols, x, scale, offset);
    return x;
  };
  if (sparse !== undefined) {
    const nonZeros = (arrays.nonZeros ??= kernels.sparseMatrix());
    if (kernels.compressBytes(data, offsets, rows, cols, scale, offset, nonZeros, sparse)) return new SparseBatch(rows, cols, labels, indices, nonZeros, arrays, gather);
  }
  return { rows, cols, x: gather(), labels, indices };
}

/** A batch known by its non-zeros; its dense x is made on first use, while its arrays are still its own. */
class SparseBatch implements Batch {
  private made: Float32Array | undefined;
  private readonly use: number;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly labels: Int32Array,
    readonly indices: Int32Array,
    readonly nonZeros: SparseMatrix,
    private readonly arrays: BatchArrays,
    private readonly gather: () => Float32Array,
  ) {
    this.use = arrays.uses;
  }

  get x(): Float32Array {
    if (this.made === undefined) {
      if (this.arrays.uses !== this.use) throw new Error('normalize: a reused batch was read after two more batches were made');
      this.made = this.gather();
    }
    return this.made;
  }
}

/** The bytes every item's image is stored in (`cols` values each), if they share one byte array. */
function sharedBytes(items: readonly Sample[], cols: number): Uint8Array | undefined {
  const first = items[0];
  if (!(first instanceof StoredSample && first.data instanceof Uint8Array)) return undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!(item instanceof StoredSample && item.data === first.data && item.size === cols)) return undefined;
  }
  return first.data;
}
