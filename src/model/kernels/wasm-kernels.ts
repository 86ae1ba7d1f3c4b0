import { allocate as allocatePlain, type DType } from '../../core/dtype.js';
import { KernelThreads, MAX_ARGS, type RunJob } from './kernel-threads.js';
import type { ActivationFunction, FloatArray, Kernels, Pending, SparseMatrix, UpdateRule, WindowGeometry } from './kernels.js';
import { tsKernels } from './ts-kernels.js';
import { WasmHeap } from './wasm-heap.js';
import { loadKernelModule, type SimdChoice, type SimdVariant } from './wasm-module.js';
import { WasmOperands } from './wasm-operands.js';

export interface WasmKernelOptions {
  /** Threads for the large kernels, this one included (default 1: no workers). */
  readonly threads?: number;
  /** How the kernels round (default auto: relaxed where the engine accepts it). */
  readonly simd?: SimdChoice;
}

/** The exported functions, by name; a job for a worker names one by its index here. */
const FUNCTIONS = [
  'gemm', 'dotProducts', 'compress', 'compressBytes', 'compressBytesTransposed', 'countNonZeroBytes', 'fillBytes', 'transposeSparse', 'sparseGemm', 'biasActivate', 'activationBackward', 'sumRows',
  'multiply', 'axpy', 'bytesToFloats', 'gatherBytes', 'countNonFinite', 'softmaxCrossEntropy', 'countCorrect',
  'columnMoments', 'batchNormalize', 'batchNormBackward', 'dropout', 'sgdUpdate', 'momentumUpdate',
  'squaredGradientUpdate', 'adamUpdate', 'im2col', 'col2im', 'transposeBlocks', 'maxPool', 'maxPoolBackward', 'avgPool', 'avgPoolBackward',
] as const;
type KernelFunction = (typeof FUNCTIONS)[number];
/** Each function's index in FUNCTIONS: how a job names it. */
const F = Object.fromEntries(FUNCTIONS.map((name, i) => [name, i])) as { readonly [name in KernelFunction]: number };
type Exports = { readonly [name in KernelFunction]: (...args: number[]) => number } & { readonly GEMM_PACK_BYTES: { readonly value: number } };

const ACTIVATIONS = { identity: 0, sigmoid: 1, tanh: 2, 'leaky-relu': 3 } as const;
/** A kernel call is split across threads only when each part gets at least this much work (multiply-adds or equivalent). */
const MIN_WORK_PER_THREAD = 1 << 21;
/** Cost of one value of an activation, in multiply-adds: the exact exp and tanh are dozens of operations. */
const ACTIVATION_COST = { identity: 1, sigmoid: 24, tanh: 40, 'leaky-relu': 2 } as const;
/**
 * Cost of moving one value through memory, in multiply-adds: a product
 * reuses each value it loads many times, an element-wise or window kernel
 * loads and stores every value once. Without it a convolution's im2col,
 * col2im, pooling and ReLU (a million values a step) ran on one thread.
 */
const MOVE_COST = 8;

/** Compressed rows, and on demand the same non-zeros by columns, in the module's memory (see assembly/sparse.ts). */
class WasmSparseMatrix implements SparseMatrix {
  rows = 0;
  cols = 0;
  nonZeros = 0;
  /** Whether the columns below hold the current non-zeros. */
  transposed = false;
  /** A copy of the row offsets a job working in the background reads. */
  offsets: Int32Array | undefined;
  constructor(
    public rowStart: Int32Array,
    public index: Int32Array,
    public value: Float32Array,
    public colStart: Int32Array,
    public rowIndex: Int32Array,
    public colValue: Float32Array,
  ) {}
}

/**
 * Every kernel in WebAssembly with 128-bit SIMD, on a shared memory that
 * worker threads also see. Float32 arrays from `allocate` are used in
 * place; other float32 arrays are copied in and out; float64 arrays (the
 * gradient checks) go to the TypeScript kernels. Large calls are split
 * across threads by output rows or columns, never by the values a sum runs
 * over, so the numbers are the same for any thread count.
 */
export function createWasmKernels(options: WasmKernelOptions = {}): Kernels {
  return new WasmKernels(options);
}

class WasmKernels implements Kernels {
  readonly backend = 'wasm';
  readonly simd: SimdVariant;
  readonly description: string;
  private readonly heap = new WasmHeap();
  private readonly wasm: Exports;
  private readonly fns: readonly ((...args: number[]) => number)[];
  private readonly threads: number;
  private readonly workers: KernelThreads | undefined;
  private readonly operands: WasmOperands;
  private readonly args = new Float64Array(MAX_ARGS);
  private readonly packs: Float32Array[] = [];
  private stagedRows: Uint8Array;
  private stagedOffsets = new Int32Array(0);
  private randomState: Uint32Array;
  private keep: Int32Array;
  private divisorFor = { scale: NaN, offset: NaN, divisor: 0 };
  /** Whether worker 0 holds a job of compressBytesLater whose answer has not been collected. */
  private busy = false;

  constructor(options: WasmKernelOptions) {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    this.threads = threads;
    const { module, variant } = loadKernelModule(options.simd);
    this.simd = variant;
    this.description = `wasm (${variant === 'plain' ? 'SIMD' : 'relaxed SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
    this.wasm = new WebAssembly.Instance(module, { env: { memory: this.heap.memory } }).exports as unknown as Exports;
    this.fns = FUNCTIONS.map((name) => this.wasm[name]);
    this.workers = threads > 1 ? new KernelThreads(module, this.heap.memory, threads - 1, FUNCTIONS) : undefined;
    this.operands = new WasmOperands(this.heap);
    this.stagedRows = this.heap.bytes(0);
    this.randomState = new Uint32Array(this.heap.memory.buffer, this.heap.ints(4).byteOffset, 4);
    this.keep = this.heap.ints(3);
  }

  allocate = (dtype: DType, length: number): FloatArray => (dtype === 'float32' ? this.heap.floats(length) : allocatePlain(dtype, length));

  allocateBytes = (length: number): Uint8Array => this.heap.bytes(length);

  close(): void {
    this.workers?.close();
  }

  /**
   * Runs function number `fn` (its arguments in this.args, the last two
   * left for the range) over [0, total), split at multiples of `align` into
   * as many parts as threads allow when each gets MIN_WORK_PER_THREAD of
   * `work`; with `balance` (ascending offsets of each row's entries) the
   * parts get equal shares of entries instead of rows. Argument `scratch`,
   * if given, receives each part's own scratch buffer. This thread runs
   * the first part. Returns the parts' results added up (integer counts, so
   * the order does not matter).
   */
  private run(fn: number, arity: number, total: number, align: number, work: number, balance?: Int32Array, scratch = -1): number {
    const { args, workers } = this;
    // a worker busy with work started by compressBytesLater takes no part
    const parts = workers === undefined || this.busy ? 1 : Math.max(1, Math.min(this.threads, Math.floor(work / MIN_WORK_PER_THREAD), Math.ceil(total / align)));
    for (let part = 1; part < parts; part++) {
      if (scratch >= 0) args[scratch] = this.pack(part);
      args[arity - 2] = edge(part, parts, total, align, balance);
      args[arity - 1] = edge(part + 1, parts, total, align, balance);
      workers!.start(part - 1, fn, args, arity);
    }
    if (scratch >= 0) args[scratch] = this.pack(0);
    args[arity - 2] = 0;
    args[arity - 1] = edge(1, parts, total, align, balance);
    let result = call(this.fns[fn]!, args);
    for (let part = 1; part < parts; part++) result += workers!.finish(part - 1, this.runJob);
    return result;
  }

  /** Runs a part no worker has taken yet, on this thread. */
  private readonly runJob: RunJob = (fn, args) => call(this.fns[fn]!, args);

  private pack(part: number): number {
    while (this.packs.length <= part) this.packs.push(this.heap.floats(this.wasm.GEMM_PACK_BYTES.value / 4));
    return this.packs[part]!.byteOffset;
  }

  private product(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, form: 'ab' | 'aTb' | 'abT'): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      return form === 'ab' ? tsKernels.matmul(a, b, c, m, k, n) : form === 'aTb' ? tsKernels.matmulTransA(a, b, c, m, k, n) : tsKernels.matmulTransB(a, b, c, m, k, n);
    }
    const { args, operands } = this;
    operands.begin();
    const aAt = operands.input(a, m * k);
    const bAt = operands.input(b, k * n);
    const cAt = operands.output(c, m * n);
    if (form === 'abT' && this.simd === 'plain') {
      // dot products of rows: each value summed in four lanes, as before packed products existed
      put(args, aAt, bAt, cAt, m, k, n);
      this.run(F.dotProducts, 8, m, 4, m * k * n);
    } else {
      // A(i, p) and B(p, j) by strides, in floats
      const ars = form === 'aTb' ? 1 : k;
      const acs = form === 'aTb' ? m : 1;
      const brs = form === 'abT' ? 1 : n;
      const bcs = form === 'abT' ? k : 1;
      put(args, aAt, ars, acs, bAt, brs, bcs, cAt, m, k, n);
      this.run(F.gemm, 13, n, 8, m * k * n, undefined, 10);
    }
    operands.end();
  }

  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
    this.product(a, b, c, m, k, n, 'ab');
  }

  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
    this.product(a, b, c, m, k, n, 'aTb');
  }

  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
    this.product(a, b, c, m, k, n, 'abT');
  }

  sparseMatrix(): SparseMatrix {
    const { heap } = this;
    return new WasmSparseMatrix(heap.ints(1), heap.ints(0), heap.floats(0), heap.ints(1), heap.ints(0), heap.floats(0));
  }

  compress(a: FloatArray, m: number, k: number, into: SparseMatrix, maxDensity: number): boolean {
    const s = sparse(into);
    if (!(a instanceof Float32Array)) return false;
    const { operands } = this;
    const capacity = this.reserve(s, m, k, maxDensity);
    operands.begin();
    const count = this.wasm.compress(operands.input(a, m * k), m, k, s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, capacity);
    operands.end();
    return this.filled(s, count, m, k);
  }

  compressBytes(
    source: Uint8Array, offsets: Int32Array, rows: number, cols: number, scale: number, offset: number, into: SparseMatrix, maxDensity: number,
  ): boolean {
    const s = sparse(into);
    if (Math.fround(0 * scale + offset) !== 0) return false;
    const capacity = this.reserve(s, rows, cols, maxDensity);
    const { base, at } = this.gatherSource(source, offsets, rows, cols);
    const { args, operands } = this;
    const divisor = this.divisor(scale, offset);
    operands.begin();
    const atAddress = operands.ints(at, rows);
    let count: number;
    if (this.workers === undefined || rows * cols < 4 * MIN_WORK_PER_THREAD) {
      count = this.wasm.compressBytes(base, atAddress, rows, cols, scale, offset, divisor, s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, capacity);
    } else {
      // across threads: count each row's non-zeros, place the rows, then fill them
      const counts = s.rowStart.subarray(1, rows + 1);
      put(args, base, atAddress, cols, counts.byteOffset);
      this.run(F.countNonZeroBytes, 6, rows, 1, rows * cols);
      let total = 0;
      for (let r = 0; r < rows; r++) {
        const n = counts[r]!;
        s.rowStart[r] = total;
        total += n;
      }
      s.rowStart[rows] = total;
      count = total > capacity ? -1 : total;
      if (count >= 0) {
        put(args, base, atAddress, cols, scale, offset, divisor, s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset);
        this.run(F.fillBytes, 11, rows, 1, total * 8);
      }
    }
    operands.end();
    return this.filled(s, count, rows, cols);
  }

  compressBytesLater(
    source: Uint8Array, offsets: Int32Array, rows: number, cols: number, scale: number, offset: number, into: SparseMatrix, maxDensity: number,
  ): Pending<boolean> {
    const s = sparse(into);
    const { heap, args, workers } = this;
    if (workers === undefined || this.busy || !heap.owns(source) || Math.fround(0 * scale + offset) !== 0) {
      const found = this.compressBytes(source, offsets, rows, cols, scale, offset, into, maxDensity);
      return { wait: () => found };
    }
    const capacity = this.reserve(s, rows, cols, maxDensity);
    if (s.colStart.length < cols + 1) s.colStart = heap.ints(cols + 1);
    if (s.rowIndex.length < s.index.length) {
      s.rowIndex = heap.ints(s.index.length);
      s.colValue = heap.floats(s.index.length);
    }
    if (s.offsets === undefined || s.offsets.length < rows) s.offsets = heap.ints(rows);
    s.offsets.set(offsets.subarray(0, rows));
    put(args, source.byteOffset, s.offsets.byteOffset, rows, cols, scale, offset, this.divisor(scale, offset), s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, capacity);
    args[11] = s.colStart.byteOffset;
    args[12] = s.rowIndex.byteOffset;
    args[13] = s.colValue.byteOffset;
    workers.start(0, F.compressBytesTransposed, args, 14);
    this.busy = true;
    let found: boolean | undefined;
    return {
      wait: () => {
        if (found === undefined) {
          const count = workers.finish(0, this.runJob);
          this.busy = false;
          found = this.filled(s, count, rows, cols);
          s.transposed = found;
        }
        return found;
      },
    };
  }

  /** Room in `s` for the non-zeros of an [m×k] matrix at most maxDensity full; returns that capacity. */
  private reserve(s: WasmSparseMatrix, m: number, k: number, maxDensity: number): number {
    const { heap } = this;
    const capacity = Math.floor(maxDensity * m * k);
    if (s.rowStart.length < m + 1) s.rowStart = heap.ints(m + 1);
    // the compressing kernels store groups of four whole, up to four groups past the capacity before they check
    if (s.index.length < capacity + 16) {
      s.index = heap.ints(capacity + 16);
      s.value = heap.floats(capacity + 16);
    }
    return capacity;
  }

  private filled(s: WasmSparseMatrix, count: number, m: number, k: number): boolean {
    if (count < 0) return false;
    s.rows = m;
    s.cols = k;
    s.nonZeros = count;
    s.transposed = false;
    return true;
  }

  sparseMatmul(into: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void {
    const s = sparse(into);
    this.sparseProduct(s.rowStart, s.index, s.value, s.rows, s.cols, b, c, n);
  }

  sparseMatmulTransA(into: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void {
    const s = sparse(into);
    if (!s.transposed) {
      const { heap } = this;
      if (s.colStart.length < s.cols + 1) s.colStart = heap.ints(s.cols + 1);
      if (s.rowIndex.length < s.nonZeros) {
        s.rowIndex = heap.ints(s.index.length);
        s.colValue = heap.floats(s.index.length);
      }
      this.wasm.transposeSparse(s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, s.rows, s.cols, s.colStart.byteOffset, s.rowIndex.byteOffset, s.colValue.byteOffset);
      s.transposed = true;
    }
    this.sparseProduct(s.colStart, s.rowIndex, s.colValue, s.cols, s.rows, b, c, n);
  }

  /** C[rows×n] = Σ over each row's entries of value · B[index], rows split where the entries are shared evenly. */
  private sparseProduct(start: Int32Array, index: Int32Array, value: Float32Array, rows: number, inner: number, b: FloatArray, c: FloatArray, n: number): void {
    if (!(b instanceof Float32Array && c instanceof Float32Array)) throw new TypeError('wasm sparse products take float32 arrays');
    const { args, operands } = this;
    operands.begin();
    put(args, start.byteOffset, index.byteOffset, value.byteOffset, operands.input(b, inner * n), operands.output(c, rows * n), n);
    this.run(F.sparseGemm, 9, rows, 1, start[rows]! * n, start, 6);
    operands.end();
  }

  biasActivate(x: FloatArray, bias: FloatArray | undefined, y: FloatArray, m: number, n: number, f: ActivationFunction): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array && (bias === undefined || bias instanceof Float32Array))) {
      return tsKernels.biasActivate(x, bias, y, m, n, f);
    }
    const { args, operands } = this;
    operands.begin();
    const xAt = operands.input(x, m * n);
    put(args, xAt, bias === undefined ? 0 : operands.input(bias, n), x === y ? xAt : operands.output(y, m * n), n, ACTIVATIONS[f.kind], slopeOf(f));
    if (x === y) operands.writesBack(x, m * n);
    this.run(F.biasActivate, 8, m, 1, m * n * (MOVE_COST + ACTIVATION_COST[f.kind]));
    operands.end();
  }

  activationBackward(y: FloatArray, dy: FloatArray, dx: FloatArray, m: number, n: number, f: ActivationFunction, dbias?: FloatArray): void {
    if (!(y instanceof Float32Array && dy instanceof Float32Array && dx instanceof Float32Array && (dbias === undefined || dbias instanceof Float32Array))) {
      return tsKernels.activationBackward(y, dy, dx, m, n, f, dbias);
    }
    const { args, operands } = this;
    operands.begin();
    const dyAt = operands.input(dy, m * n);
    if (dx === dy) operands.writesBack(dy, m * n);
    put(args, operands.input(y, m * n), dyAt, dx === dy ? dyAt : operands.output(dx, m * n), dbias === undefined ? 0 : operands.output(dbias, n), m, n, ACTIVATIONS[f.kind], slopeOf(f));
    this.run(F.activationBackward, 10, n, 4, m * n * (MOVE_COST + 4));
    operands.end();
  }

  sumRows(a: FloatArray, out: FloatArray, m: number, n: number): void {
    if (!(a instanceof Float32Array && out instanceof Float32Array)) return tsKernels.sumRows(a, out, m, n);
    const { args, operands } = this;
    operands.begin();
    put(args, operands.input(a, m * n), operands.output(out, n), m, n);
    this.run(F.sumRows, 6, n, 4, m * n);
    operands.end();
  }

  bytesToFloats(bytes: Uint8Array, x: FloatArray, at: number, scale: number, offset: number): void {
    if (!(x instanceof Float32Array)) return tsKernels.bytesToFloats(bytes, x, at, scale, offset);
    const { operands } = this;
    operands.begin();
    const out = operands.output(x, at + bytes.length, at);
    this.wasm.bytesToFloats(operands.bytes(bytes), out + at * 4, bytes.length, scale, offset, this.divisor(scale, offset));
    operands.end();
  }

  gatherBytes(source: Uint8Array, offsets: Int32Array, rows: number, cols: number, x: FloatArray, scale: number, offset: number): void {
    if (!(x instanceof Float32Array)) return tsKernels.gatherBytes(source, offsets, rows, cols, x, scale, offset);
    const { args, operands } = this;
    const { base, at } = this.gatherSource(source, offsets, rows, cols);
    operands.begin();
    put(args, base, operands.ints(at, rows), cols, operands.output(x, rows * cols), scale, offset, this.divisor(scale, offset));
    this.run(F.gatherBytes, 9, rows, 1, rows * cols);
    operands.end();
  }

  /** Where the rows are: in place for a data set loaded with allocateBytes, else copied into a staging region. */
  private gatherSource(source: Uint8Array, offsets: Int32Array, rows: number, cols: number): { base: number; at: Int32Array } {
    const { heap } = this;
    if (heap.owns(source)) return { base: source.byteOffset, at: offsets };
    if (this.stagedRows.length < rows * cols) this.stagedRows = heap.bytes(rows * cols);
    if (this.stagedOffsets.length < rows) this.stagedOffsets = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      this.stagedRows.set(source.subarray(offsets[r]!, offsets[r]! + cols), r * cols);
      this.stagedOffsets[r] = r * cols;
    }
    return { base: this.stagedRows.byteOffset, at: this.stagedOffsets };
  }

  axpy(alpha: number, x: FloatArray, y: FloatArray, length: number): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return tsKernels.axpy(alpha, x, y, length);
    const { operands } = this;
    operands.begin();
    const xAt = operands.input(x, length);
    const yAt = operands.input(y, length);
    operands.writesBack(y, length);
    this.wasm.axpy(alpha, xAt, yAt, length);
    operands.end();
  }

  multiply(a: FloatArray, b: FloatArray, out: FloatArray, length: number): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) return tsKernels.multiply(a, b, out, length);
    const { operands } = this;
    operands.begin();
    this.wasm.multiply(operands.input(a, length), operands.input(b, length), operands.output(out, length), length);
    operands.end();
  }

  dropout(state: Uint32Array, x: FloatArray, mask: FloatArray, y: FloatArray, length: number, keep: number): void {
    if (!(x instanceof Float32Array && mask instanceof Float32Array && y instanceof Float32Array)) return tsKernels.dropout(state, x, mask, y, length, keep);
    const { operands } = this;
    operands.begin();
    this.randomState.set(state);
    this.wasm.dropout(this.randomState.byteOffset, operands.input(x, length), operands.output(mask, length), operands.output(y, length), length, keep, 1 / keep);
    state.set(this.randomState);
    operands.end();
  }

  columnMoments(x: FloatArray, mean: FloatArray, variance: FloatArray, m: number, n: number): void {
    if (!(x instanceof Float32Array && mean instanceof Float32Array && variance instanceof Float32Array)) return tsKernels.columnMoments(x, mean, variance, m, n);
    const { args, operands } = this;
    operands.begin();
    put(args, operands.input(x, m * n), operands.output(mean, n), operands.output(variance, n), m, n);
    this.run(F.columnMoments, 7, n, 4, m * n * 4);
    operands.end();
  }

  batchNormalize(
    x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, beta: FloatArray, xhat: FloatArray, y: FloatArray, m: number, n: number,
  ): void {
    if (!(x instanceof Float32Array && mean instanceof Float32Array && invStd instanceof Float32Array && gamma instanceof Float32Array &&
      beta instanceof Float32Array && xhat instanceof Float32Array && y instanceof Float32Array)) {
      return tsKernels.batchNormalize(x, mean, invStd, gamma, beta, xhat, y, m, n);
    }
    const { args, operands: o } = this;
    o.begin();
    put(args, o.input(x, m * n), o.input(mean, n), o.input(invStd, n), o.input(gamma, n), o.input(beta, n), o.output(xhat, m * n), o.output(y, m * n), m, n);
    this.run(F.batchNormalize, 11, n, 4, m * n * 4);
    o.end();
  }

  batchNormBackward(
    dy: FloatArray, xhat: FloatArray, gamma: FloatArray, invStd: FloatArray, dgamma: FloatArray, dbeta: FloatArray, dx: FloatArray, m: number, n: number,
  ): void {
    if (!(dy instanceof Float32Array && xhat instanceof Float32Array && gamma instanceof Float32Array && invStd instanceof Float32Array &&
      dgamma instanceof Float32Array && dbeta instanceof Float32Array && dx instanceof Float32Array)) {
      return tsKernels.batchNormBackward(dy, xhat, gamma, invStd, dgamma, dbeta, dx, m, n);
    }
    const { args, operands: o } = this;
    o.begin();
    put(args, o.input(dy, m * n), o.input(xhat, m * n), o.input(gamma, n), o.input(invStd, n), o.output(dgamma, n), o.output(dbeta, n), o.output(dx, m * n), m, n);
    this.run(F.batchNormBackward, 11, n, 4, m * n * 6);
    o.end();
  }

  softmaxCrossEntropy(logits: FloatArray, labels: Int32Array, m: number, n: number, grad?: FloatArray, gradScale = 1): number {
    if (!(logits instanceof Float32Array && (grad === undefined || grad instanceof Float32Array))) {
      return tsKernels.softmaxCrossEntropy(logits, labels, m, n, grad, gradScale);
    }
    const { operands } = this;
    operands.begin();
    const total = this.wasm.softmaxCrossEntropy(
      operands.input(logits, m * n), operands.ints(labels, m), n, grad === undefined ? 0 : operands.output(grad, m * n), gradScale, 0, 0, m,
    );
    operands.end();
    return total;
  }

  countCorrect(scores: FloatArray, labels: Int32Array, m: number, n: number): number {
    if (!(scores instanceof Float32Array)) return tsKernels.countCorrect(scores, labels, m, n);
    const { args, operands } = this;
    operands.begin();
    put(args, operands.input(scores, m * n), operands.ints(labels, m), n);
    const correct = this.run(F.countCorrect, 5, m, 1, m * n);
    operands.end();
    return correct;
  }

  countNonFinite(x: FloatArray, length: number): number {
    if (!(x instanceof Float32Array)) return tsKernels.countNonFinite(x, length);
    const { operands } = this;
    operands.begin();
    const count = this.wasm.countNonFinite(operands.input(x, length), length);
    operands.end();
    return count;
  }

  update(rule: UpdateRule, value: FloatArray, grad: FloatArray, slots: readonly FloatArray[], length: number, previous?: readonly FloatArray[]): number {
    const plain = value instanceof Float32Array && grad instanceof Float32Array && allFloat32(slots) && (previous === undefined || allFloat32(previous));
    if (!plain || rule.kind === 'custom') {
      return tsKernels.update(rule, value, grad, slots, length, previous);
    }
    const { args, operands: o, keep } = this;
    o.begin();
    const valueAt = o.input(value, length);
    o.writesBack(value, length);
    const slot0 = slots.length > 0 ? this.inOut(slots[0] as Float32Array, length) : 0;
    const slot1 = slots.length > 1 ? this.inOut(slots[1] as Float32Array, length) : 0;
    let keepAt = 0;
    if (previous !== undefined) {
      for (let i = 0; i < previous.length; i++) keep[i] = o.output(previous[i] as Float32Array, length);
      keepAt = keep.byteOffset;
    }
    const gradAt = o.input(grad, length);
    let fn: number;
    let arity: number;
    switch (rule.kind) {
      case 'sgd':
        put(args, valueAt, gradAt, rule.lr, keepAt);
        fn = F.sgdUpdate;
        arity = 6;
        break;
      case 'momentum':
        put(args, valueAt, gradAt, slot0, rule.lr, rule.momentum, rule.nesterov ? 1 : 0, keepAt);
        fn = F.momentumUpdate;
        arity = 9;
        break;
      case 'adagrad':
        put(args, valueAt, gradAt, slot0, rule.lr, 0, rule.eps, 0, keepAt);
        fn = F.squaredGradientUpdate;
        arity = 10;
        break;
      case 'rmsprop':
        put(args, valueAt, gradAt, slot0, rule.lr, rule.rho, rule.eps, 1, keepAt);
        fn = F.squaredGradientUpdate;
        arity = 10;
        break;
      case 'adam':
        put(args, valueAt, gradAt, slot0, slot1, rule.lr, rule.beta1, rule.beta2, rule.eps, rule.correction1, rule.correction2, keepAt);
        fn = F.adamUpdate;
        arity = 13;
        break;
    }
    const bad = this.run(fn, arity, length, 4, length * 8);
    o.end();
    return bad;
  }

  /** Whether every array is float32 (the wasm kernels' type; others go to the TypeScript kernels). */
  private static float32(a: FloatArray, b: FloatArray, c?: FloatArray): boolean {
    return a instanceof Float32Array && b instanceof Float32Array && (c === undefined || c instanceof Float32Array);
  }

  im2col(x: FloatArray, cols: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(x, cols)) return tsKernels.im2col(x, cols, g, rows);
    const { args, operands: o } = this;
    const patch = g.channels * g.size * g.size;
    const columns = rows * g.outHeight * g.outWidth;
    o.begin();
    put(args, o.input(x as Float32Array, rows * g.channels * g.height * g.width), o.output(cols as Float32Array, patch * columns), g.channels, g.height, g.width, g.size, g.stride, g.padding, g.outHeight, g.outWidth, rows);
    this.run(F.im2col, 13, patch, 1, patch * columns * MOVE_COST);
    o.end();
  }

  col2im(cols: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(cols, dx)) return tsKernels.col2im(cols, dx, g, rows);
    const { args, operands: o } = this;
    const patch = g.channels * g.size * g.size;
    const columns = rows * g.outHeight * g.outWidth;
    o.begin();
    put(args, o.input(cols as Float32Array, patch * columns), o.output(dx as Float32Array, rows * g.channels * g.height * g.width), g.channels, g.height, g.width, g.size, g.stride, g.padding, g.outHeight, g.outWidth, rows);
    this.run(F.col2im, 13, g.channels, 1, patch * columns * MOVE_COST);
    o.end();
  }

  transposeBlocks(x: FloatArray, y: FloatArray, outer: number, a: number, b: number, block: number, bias?: FloatArray): void {
    if (!WasmKernels.float32(x, y, bias)) return tsKernels.transposeBlocks(x, y, outer, a, b, block, bias);
    const { args, operands: o } = this;
    const length = outer * a * b * block;
    o.begin();
    put(args, o.input(x as Float32Array, length), o.output(y as Float32Array, length), a, b, block, bias === undefined ? 0 : o.input(bias as Float32Array, a));
    this.run(F.transposeBlocks, 8, outer * a, 1, length * MOVE_COST);
    o.end();
  }

  maxPool(x: FloatArray, y: FloatArray, argmax: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(x, y, argmax)) return tsKernels.maxPool(x, y, argmax, g, rows);
    const { operands: o } = this;
    const [inputs, outputs] = poolSizes(g, rows);
    o.begin();
    this.pooling(F.maxPool, g, rows, o.input(x as Float32Array, inputs), o.output(y as Float32Array, outputs), o.output(argmax as Float32Array, outputs));
    o.end();
  }

  maxPoolBackward(dy: FloatArray, argmax: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(dy, argmax, dx)) return tsKernels.maxPoolBackward(dy, argmax, dx, g, rows);
    const { operands: o } = this;
    const [inputs, outputs] = poolSizes(g, rows);
    o.begin();
    this.pooling(F.maxPoolBackward, g, rows, o.input(dy as Float32Array, outputs), o.input(argmax as Float32Array, outputs), o.output(dx as Float32Array, inputs));
    o.end();
  }

  avgPool(x: FloatArray, y: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(x, y)) return tsKernels.avgPool(x, y, g, rows);
    const { operands: o } = this;
    const [inputs, outputs] = poolSizes(g, rows);
    o.begin();
    this.pooling(F.avgPool, g, rows, o.input(x as Float32Array, inputs), o.output(y as Float32Array, outputs));
    o.end();
  }

  avgPoolBackward(dy: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void {
    if (!WasmKernels.float32(dy, dx)) return tsKernels.avgPoolBackward(dy, dx, g, rows);
    const { operands: o } = this;
    const [inputs, outputs] = poolSizes(g, rows);
    o.begin();
    this.pooling(F.avgPoolBackward, g, rows, o.input(dy as Float32Array, outputs), o.output(dx as Float32Array, inputs));
    o.end();
  }

  /** Runs pooling kernel `fn` on two or three arrays (addresses) and the geometry, split by channel planes. */
  private pooling(fn: number, g: WindowGeometry, rows: number, a: number, b: number, c?: number): void {
    const { args } = this;
    const planes = rows * g.channels;
    if (c === undefined) put(args, a, b, g.height, g.width, g.size, g.stride, g.outHeight, g.outWidth);
    else put(args, a, b, c, g.height, g.width, g.size, g.stride, g.outHeight, g.outWidth);
    this.run(fn, c === undefined ? 10 : 11, planes, 1, planes * g.height * g.width * MOVE_COST);
  }

  /** The address of an array a kernel reads and writes. */
  private inOut(array: Float32Array, length: number): number {
    const address = this.operands.input(array, length);
    this.operands.writesBack(array, length);
    return address;
  }

  /**
   * For bytesToFloats: a divisor d when f32(f32(b / d) + f32(offset))
   * equals JavaScript's f32(b · scale + offset) for all 256 byte values
   * (it does for 1/255, 0), else 0 (convert in f64).
   */
  private divisor(scale: number, offset: number): number {
    if (this.divisorFor.scale === scale && this.divisorFor.offset === offset) return this.divisorFor.divisor;
    const d = Math.fround(1 / scale);
    const o = Math.fround(offset);
    let exact = Number.isFinite(d) && d > 0;
    for (let b = 0; b < 256 && exact; b++) exact = Math.fround(Math.fround(b / d) + o) === Math.fround(b * scale + offset);
    this.divisorFor = { scale, offset, divisor: exact ? d : 0 };
    return this.divisorFor.divisor;
  }
}

/** The values in a batch's input and output of pooling. */
function poolSizes(g: WindowGeometry, rows: number): [number, number] {
  const planes = rows * g.channels;
  return [planes * g.height * g.width, planes * g.outHeight * g.outWidth];
}

function allFloat32(arrays: readonly FloatArray[]): boolean {
  for (let i = 0; i < arrays.length; i++) if (!(arrays[i] instanceof Float32Array)) return false;
  return true;
}

/** Sets the first arguments of a kernel call (no array allocated, as `args.set([...])` would). */
function put(a: Float64Array, x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0, x9 = 0, x10 = 0): void {
  a[0] = x0; a[1] = x1; a[2] = x2; a[3] = x3; a[4] = x4; a[5] = x5; a[6] = x6; a[7] = x7; a[8] = x8; a[9] = x9; a[10] = x10;
}

/** Where part `part` of `parts` begins: an even split at multiples of `align`, or by equal shares of entries when `balance` holds each row's first entry. */
function edge(part: number, parts: number, total: number, align: number, balance: Int32Array | undefined): number {
  if (part >= parts) return total;
  if (balance !== undefined) return lowerBound(balance, total, (balance[total]! * part) / parts);
  return Math.min(total, Math.ceil((total * part) / parts / align) * align);
}

/** A kernel function with its (up to MAX_ARGS) arguments; extra ones are ignored. */
function call(f: (...args: number[]) => number, a: Float64Array): number {
  return f(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!);
}

function sparse(s: SparseMatrix): WasmSparseMatrix {
  if (!(s instanceof WasmSparseMatrix)) throw new TypeError('sparse matrix made by other kernels');
  return s;
}

function slopeOf(f: ActivationFunction): number {
  return f.kind === 'leaky-relu' ? f.slope : 0;
}

/** The first row r in [0, rows] whose entries start at or after `target` (start ascending). */
function lowerBound(start: Int32Array, rows: number, target: number): number {
  let lo = 0;
  let hi = rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
