import { allocate as allocatePlain, type DType } from '../dtype.js';
import { KernelThreads, MAX_ARGS, type RunJob } from './kernel-threads.js';
import type { ActivationFunction, FloatArray, Kernels, SparseMatrix, UpdateRule } from './kernels.js';
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
  'gemm', 'dotProducts', 'compress', 'transposeSparse', 'sparseGemm', 'biasActivate', 'activationBackward', 'sumRows',
  'multiply', 'axpy', 'bytesToFloats', 'gatherBytes', 'countNonFinite', 'softmaxCrossEntropy', 'countCorrect',
  'columnMoments', 'batchNormalize', 'batchNormBackward', 'dropout', 'sgdUpdate', 'momentumUpdate',
  'squaredGradientUpdate', 'adamUpdate',
] as const;
type KernelFunction = (typeof FUNCTIONS)[number];
type Exports = { readonly [name in KernelFunction]: (...args: number[]) => number } & { readonly GEMM_PACK_BYTES: { readonly value: number } };

const ACTIVATIONS = { identity: 0, sigmoid: 1, tanh: 2, 'leaky-relu': 3 } as const;
/** A kernel call is split across threads only when each part gets at least this much work (multiply-adds or equivalent). */
const MIN_WORK_PER_THREAD = 1 << 16;
/** Cost of one value of an activation, in multiply-adds: the exact exp and tanh are dozens of operations. */
const ACTIVATION_COST = { identity: 1, sigmoid: 24, tanh: 40, 'leaky-relu': 2 } as const;

/** Compressed rows, and on demand the same non-zeros by columns, in the module's memory (see assembly/sparse.ts). */
class WasmSparseMatrix implements SparseMatrix {
  rows = 0;
  cols = 0;
  nonZeros = 0;
  /** Whether the columns below hold the current non-zeros. */
  transposed = false;
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
  private rowAddresses: Int32Array;
  private stagedRows: Uint8Array;
  private randomState: Uint32Array;
  private keep: Int32Array;

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
    this.rowAddresses = this.heap.ints(0);
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
   * Runs function `fn` (its arguments in this.args, the last two left for
   * the range) over [0, total), split at multiples of `align` into as many
   * parts as threads allow when each gets MIN_WORK_PER_THREAD of `work`;
   * `boundary`, if given, places the split points instead (balancing
   * uneven rows). This thread runs the first part. Returns the parts'
   * results added up (integer counts, so the order does not matter).
   */
  private run(fn: KernelFunction, arity: number, total: number, align: number, work: number, boundary?: (part: number, parts: number) => number, perPart?: (part: number) => void): number {
    const index = FUNCTIONS.indexOf(fn);
    const f = this.fns[index]!;
    const { args, workers } = this;
    const parts = workers === undefined ? 1 : Math.max(1, Math.min(this.threads, Math.floor(work / MIN_WORK_PER_THREAD), Math.ceil(total / align)));
    const edge = (part: number): number =>
      part >= parts ? total : boundary !== undefined ? boundary(part, parts) : Math.min(total, Math.ceil((total * part) / parts / align) * align);
    let result = 0;
    for (let part = 1; part < parts; part++) {
      perPart?.(part);
      args[arity - 2] = edge(part);
      args[arity - 1] = edge(part + 1);
      workers!.start(part - 1, index, args, arity);
    }
    perPart?.(0);
    args[arity - 2] = 0;
    args[arity - 1] = edge(1);
    result += call(f, args);
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
      args.set([aAt, bAt, cAt, m, k, n]);
      this.run('dotProducts', 8, m, 4, m * k * n);
    } else {
      // A(i, p) and B(p, j) by strides, in floats
      const [ars, acs] = form === 'aTb' ? [1, m] : [k, 1];
      const [brs, bcs] = form === 'abT' ? [1, k] : [n, 1];
      args.set([aAt, ars, acs, bAt, brs, bcs, cAt, m, k, n, 0]);
      this.run('gemm', 13, n, 8, m * k * n, undefined, (part) => (args[10] = this.pack(part)));
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
    const { heap, operands } = this;
    const capacity = Math.floor(maxDensity * m * k);
    if (s.rowStart.length < m + 1) s.rowStart = heap.ints(m + 1);
    // compress stores groups of four whole: room for 4 more than the capacity.
    if (s.index.length < capacity + 4) {
      s.index = heap.ints(capacity + 4);
      s.value = heap.floats(capacity + 4);
    }
    operands.begin();
    const count = this.wasm.compress(operands.input(a, m * k), m, k, s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, capacity);
    operands.end();
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
    const entries = start[rows]!;
    operands.begin();
    args.set([start.byteOffset, index.byteOffset, value.byteOffset, operands.input(b, inner * n), operands.output(c, rows * n), n, 0]);
    this.run('sparseGemm', 9, rows, 1, entries * n, (part, parts) => lowerBound(start, rows, (entries * part) / parts), (part) => (args[6] = this.pack(part)));
    operands.end();
  }

  biasActivate(x: FloatArray, bias: FloatArray | undefined, y: FloatArray, m: number, n: number, f: ActivationFunction): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array && (bias === undefined || bias instanceof Float32Array))) {
      return tsKernels.biasActivate(x, bias, y, m, n, f);
    }
    const { args, operands } = this;
    operands.begin();
    const xAt = operands.input(x, m * n);
    args.set([xAt, bias === undefined ? 0 : operands.input(bias, n), x === y ? xAt : operands.output(y, m * n), n, ACTIVATIONS[f.kind], slopeOf(f)]);
    if (x === y) operands.writesBack(x, m * n);
    this.run('biasActivate', 8, m, 1, m * n * ACTIVATION_COST[f.kind]);
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
    args.set([operands.input(y, m * n), dyAt, dx === dy ? dyAt : operands.output(dx, m * n), dbias === undefined ? 0 : operands.output(dbias, n), m, n, ACTIVATIONS[f.kind], slopeOf(f)]);
    this.run('activationBackward', 10, n, 4, m * n * 4);
    operands.end();
  }

  sumRows(a: FloatArray, out: FloatArray, m: number, n: number): void {
    if (!(a instanceof Float32Array && out instanceof Float32Array)) return tsKernels.sumRows(a, out, m, n);
    const { args, operands } = this;
    operands.begin();
    args.set([operands.input(a, m * n), operands.output(out, n), m, n]);
    this.run('sumRows', 6, n, 4, m * n);
    operands.end();
  }

  bytesToFloats(bytes: Uint8Array, x: FloatArray, at: number, scale: number, offset: number): void {
    if (!(x instanceof Float32Array)) return tsKernels.bytesToFloats(bytes, x, at, scale, offset);
    const { operands } = this;
    operands.begin();
    const out = operands.output(x, at + bytes.length, at);
    this.wasm.bytesToFloats(operands.bytes(bytes), out + at * 4, bytes.length, scale, offset);
    operands.end();
  }

  gatherBytes(rows: readonly Uint8Array[], cols: number, x: FloatArray, scale: number, offset: number): void {
    if (!(x instanceof Float32Array)) return tsKernels.gatherBytes(rows, cols, x, scale, offset);
    const { heap, args, operands } = this;
    const count = rows.length;
    if (this.rowAddresses.length < count) this.rowAddresses = heap.ints(count);
    const addresses = this.rowAddresses;
    // Rows that live in the memory (a data set loaded with allocateBytes) are read in place; others are staged.
    let staged = 0;
    for (const row of rows) if (!heap.owns(row)) staged++;
    if (staged > 0 && this.stagedRows.length < staged * cols) this.stagedRows = heap.bytes(staged * cols);
    staged = 0;
    for (let r = 0; r < count; r++) {
      const row = rows[r]!;
      if (heap.owns(row)) addresses[r] = row.byteOffset;
      else {
        this.stagedRows.set(row.length === cols ? row : row.subarray(0, cols), staged * cols);
        addresses[r] = this.stagedRows.byteOffset + staged * cols;
        staged++;
      }
    }
    operands.begin();
    args.set([addresses.byteOffset, cols, operands.output(x, count * cols), scale, offset]);
    this.run('gatherBytes', 7, count, 1, count * cols);
    operands.end();
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
    args.set([operands.input(x, m * n), operands.output(mean, n), operands.output(variance, n), m, n]);
    this.run('columnMoments', 7, n, 4, m * n * 4);
    operands.end();
  }

  batchNormalize(
    x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, beta: FloatArray, xhat: FloatArray, y: FloatArray, m: number, n: number,
  ): void {
    const all = [x, mean, invStd, gamma, beta, xhat, y];
    if (!all.every((a) => a instanceof Float32Array)) return tsKernels.batchNormalize(x, mean, invStd, gamma, beta, xhat, y, m, n);
    const { args, operands } = this;
    operands.begin();
    args.set([
      operands.input(x as Float32Array, m * n), operands.input(mean as Float32Array, n), operands.input(invStd as Float32Array, n),
      operands.input(gamma as Float32Array, n), operands.input(beta as Float32Array, n),
      operands.output(xhat as Float32Array, m * n), operands.output(y as Float32Array, m * n), m, n,
    ]);
    this.run('batchNormalize', 11, n, 4, m * n * 4);
    operands.end();
  }

  batchNormBackward(
    dy: FloatArray, xhat: FloatArray, gamma: FloatArray, invStd: FloatArray, dgamma: FloatArray, dbeta: FloatArray, dx: FloatArray, m: number, n: number,
  ): void {
    const all = [dy, xhat, gamma, invStd, dgamma, dbeta, dx];
    if (!all.every((a) => a instanceof Float32Array)) return tsKernels.batchNormBackward(dy, xhat, gamma, invStd, dgamma, dbeta, dx, m, n);
    const { args, operands } = this;
    operands.begin();
    args.set([
      operands.input(dy as Float32Array, m * n), operands.input(xhat as Float32Array, m * n), operands.input(gamma as Float32Array, n),
      operands.input(invStd as Float32Array, n), operands.output(dgamma as Float32Array, n), operands.output(dbeta as Float32Array, n),
      operands.output(dx as Float32Array, m * n), m, n,
    ]);
    this.run('batchNormBackward', 11, n, 4, m * n * 6);
    operands.end();
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
    args.set([operands.input(scores, m * n), operands.ints(labels, m), n]);
    const correct = this.run('countCorrect', 5, m, 1, m * n);
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
    const arrays = [value, grad, ...slots, ...(previous ?? [])];
    if (!arrays.every((a) => a instanceof Float32Array)) return tsKernels.update(rule, value, grad, slots, length, previous);
    const { args, operands, keep } = this;
    operands.begin();
    const at = (a: FloatArray): number => operands.input(a as Float32Array, length);
    const valueAt = at(value);
    operands.writesBack(value as Float32Array, length);
    const slotsAt = slots.map((s) => {
      const address = at(s);
      operands.writesBack(s as Float32Array, length);
      return address;
    });
    let keepAt = 0;
    if (previous !== undefined) {
      previous.forEach((p, i) => (keep[i] = operands.output(p as Float32Array, length)));
      keepAt = keep.byteOffset;
    }
    const gradAt = at(grad);
    let fn: KernelFunction;
    let arity: number;
    switch (rule.kind) {
      case 'sgd':
        args.set([valueAt, gradAt, rule.lr, keepAt]);
        [fn, arity] = ['sgdUpdate', 6];
        break;
      case 'momentum':
        args.set([valueAt, gradAt, slotsAt[0]!, rule.lr, rule.momentum, rule.nesterov ? 1 : 0, keepAt]);
        [fn, arity] = ['momentumUpdate', 9];
        break;
      case 'adagrad':
      case 'rmsprop':
        args.set([valueAt, gradAt, slotsAt[0]!, rule.lr, rule.kind === 'rmsprop' ? rule.rho : 0, rule.eps, rule.kind === 'rmsprop' ? 1 : 0, keepAt]);
        [fn, arity] = ['squaredGradientUpdate', 10];
        break;
      case 'adam':
        args.set([valueAt, gradAt, slotsAt[0]!, slotsAt[1]!, rule.lr, rule.beta1, rule.beta2, rule.eps, rule.correction1, rule.correction2, keepAt]);
        [fn, arity] = ['adamUpdate', 13];
        break;
    }
    const bad = this.run(fn, arity, length, 4, length * 8);
    operands.end();
    return bad;
  }
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
