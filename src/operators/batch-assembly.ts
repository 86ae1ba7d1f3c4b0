import type { Allocator, Pending, SparseMatrix } from '../core/allocator.js';
import { sampleShapeOf, type Batch } from '../core/batch.js';
import { StoredSample, type Sample } from '../sources/samples.js';

/** x' = x * scale + offset, applied to every input value. */
export interface Normalization {
  readonly scale: number;
  readonly offset: number;
}

/** A batch's arrays, grown when a larger batch arrives; reused from batch to batch when normalize is asked to. */
export interface BatchArrays {
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

export function newArrays(allocate: (length: number) => Float32Array): BatchArrays {
  return { allocate, x: new Float32Array(0), labels: new Int32Array(0), indices: new Int32Array(0), offsets: new Int32Array(0), uses: 0 };
}

/** How a batch is made: the conversion, the allocator, and whether (below what density) to find its non-zeros. */
export interface Assembly {
  readonly normalization: Normalization;
  readonly allocator: Allocator;
  readonly sparse: number | undefined;
  /** Find the non-zeros on another thread, to be collected with `finishBatch` (normalize's lookahead). */
  readonly later: boolean;
}

/** A batch begun by `startBatch`: finished by `finishBatch`, or `cancel`led. */
export interface StartedBatch {
  finish(): Batch;
  /** Waits for work still running on the batch's arrays (before they are handed to another batch). */
  cancel(): void;
}

/**
 * Begins a batch of `items` in `arrays`: labels, where each row comes from,
 * and either its values (samples that are not bytes of one data set) or,
 * for byte images of one data set, its non-zeros (started on another
 * thread when `later`); the values of those are gathered only when read.
 */
export function startBatch(items: readonly Sample[], arrays: BatchArrays, assembly: Assembly): StartedBatch {
  const { allocator, sparse } = assembly;
  const { scale, offset } = assembly.normalization;
  const rows = items.length;
  const first = items[0];
  const cols = first === undefined ? 0 : first instanceof StoredSample ? first.size : first.image.length;
  const sampleShape = sampleShapeOf(first?.shape ?? [cols]);
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
    if (image instanceof Uint8Array) allocator.bytesToFloats(image, x, r * cols, scale, offset);
    else for (let i = r * cols, c = 0; c < cols; i++, c++) x[i] = image[c]! * scale + offset;
  }
  if (data === undefined) return ready({ rows, cols, sampleShape, x, labels, indices });
  const offsets = arrays.offsets;
  const gather = (): Float32Array => {
    allocator.gatherBytes(data, offsets, rows, cols, x, scale, offset);
    return x;
  };
  if (sparse === undefined) return ready({ rows, cols, sampleShape, x: gather(), labels, indices });
  const nonZeros = (arrays.nonZeros ??= allocator.sparseMatrix());
  const found: Pending<boolean> = assembly.later
    ? allocator.compressBytesLater(data, offsets, rows, cols, scale, offset, nonZeros, sparse)
    : answered(allocator.compressBytes(data, offsets, rows, cols, scale, offset, nonZeros, sparse));
  return {
    finish: () => (found.wait() ? new SparseBatch(rows, cols, sampleShape, labels, indices, nonZeros, arrays, gather) : { rows, cols, sampleShape, x: gather(), labels, indices }),
    cancel: () => void found.wait(),
  };
}

function answered<T>(answer: T): Pending<T> {
  return { wait: () => answer };
}

function ready(batch: Batch): StartedBatch {
  return { finish: () => batch, cancel: () => undefined };
}

/** A batch known by its non-zeros; its dense x is made on first use, while its arrays are still its own. */
class SparseBatch implements Batch {
  private made: Float32Array | undefined;
  private readonly use: number;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly sampleShape: readonly number[],
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
      if (this.arrays.uses !== this.use) throw new Error('normalize: a reused batch was read after later batches had taken its arrays');
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
