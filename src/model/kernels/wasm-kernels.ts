import { allocate as allocatePlain, type DType } from '../dtype.js';
import { KERNEL_FUNCTIONS, KernelThreads, type KernelFunction } from './kernel-threads.js';
import type { FloatArray, Kernels, SparseMatrix } from './kernels.js';
import { tsKernels } from './ts-kernels.js';
import { Scratch, WasmHeap } from './wasm-heap.js';
import { loadKernelModule, type SimdVariant } from './wasm-module.js';

export interface WasmKernelOptions {
  /** Threads for the large products, this one included (default 1: no workers). */
  readonly threads?: number;
  /** 'simd' keeps to plain SIMD even where relaxed SIMD validates (default: the fastest that validates). */
  readonly simd?: SimdVariant;
}

type KernelExports = { readonly [name in KernelFunction | 'compress' | 'bytesToFloats' | 'axpy']: (...args: number[]) => number };

/** A product is split across threads only when each thread gets at least this many multiply-adds. */
const MIN_WORK_PER_THREAD = 1 << 19;
/** How many i32 arguments each function takes; the last two are always the row range. */
const ARITY: Readonly<Record<KernelFunction, number>> = { gemm: 9, gemmTransB: 7, sparseGemm: 8, sparseGemmTransA: 9 };

/** Compressed rows in the module's memory (see assembly/kernels.ts `compress`). */
class WasmSparseMatrix implements SparseMatrix {
  rows = 0;
  cols = 0;
  nonZeros = 0;
  constructor(
    public rowStart: Int32Array,
    public index: Int32Array,
    public value: Float32Array,
  ) {}
}

/**
 * Matrix products and the sparse first-layer products in WebAssembly with
 * 128-bit SIMD, on a shared memory that worker threads also see. Float32
 * arrays from `allocate` are used in place; other float32 arrays are copied
 * in and out; float64 arrays (the gradient checks) and the element-wise
 * kernels go to the TypeScript kernels.
 */
export function createWasmKernels(options: WasmKernelOptions = {}): Kernels {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const { module, variant } = loadKernelModule(options.simd);
  const heap = new WasmHeap();
  const wasm = new WebAssembly.Instance(module, { env: { memory: heap.memory } }).exports as unknown as KernelExports;
  const workers = threads > 1 ? new KernelThreads(module, heap.memory, threads - 1) : undefined;
  const scratch = [new Scratch(heap), new Scratch(heap), new Scratch(heap)] as const;
  const args = new Int32Array(10);
  let staging = heap.bytes(0);
  const fns = KERNEL_FUNCTIONS.map((name) => wasm[name]);

  /** The address of `array`'s first `length` values in the memory, copied into scratch `slot` when it lives elsewhere. */
  const operand = (array: Float32Array, length: number, slot: 0 | 1 | 2): number =>
    heap.owns(array) ? array.byteOffset : scratch[slot].copyIn(array, length);
  /** Where to write `length` values for `array`; `copyOut` brings them back when that is scratch. */
  const output = (array: Float32Array, length: number): number => (heap.owns(array) ? array.byteOffset : scratch[2].take(length).byteOffset);
  const copyOut = (array: Float32Array, length: number): void => {
    if (!heap.owns(array)) array.set(scratch[2].take(length).subarray(0, length));
  };

  /**
   * Runs `fn` with `args` (its row range left for this to fill) over `rows`
   * output rows, split at multiples of 4 across the threads when the
   * product is big enough; this thread takes the first part.
   */
  const run = (fn: number, rows: number, work: number): void => {
    const arity = ARITY[KERNEL_FUNCTIONS[fn]!];
    const parts = workers === undefined ? 1 : Math.max(1, Math.min(threads, Math.floor(work / MIN_WORK_PER_THREAD), Math.ceil(rows / 4)));
    const chunk = Math.ceil(rows / parts / 4) * 4;
    if (parts > 1) {
      workers!.nextRound();
      for (let part = 1; part < parts; part++) {
        args[arity - 2] = Math.min(rows, part * chunk);
        args[arity - 1] = Math.min(rows, (part + 1) * chunk);
        workers!.start(part - 1, fn, args, arity);
      }
    }
    args[arity - 2] = 0;
    args[arity - 1] = Math.min(rows, chunk);
    fns[fn]!(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!, args[6]!, args[7]!, args[8]!);
    for (let part = 1; part < parts; part++) workers!.finish(part - 1);
  };

  const gemm = (a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number, transA: boolean): void => {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      return transA ? tsKernels.matmulTransA(a, b, c, m, k, n) : tsKernels.matmul(a, b, c, m, k, n);
    }
    args[0] = operand(a, m * k, 0);
    args[1] = transA ? 1 : k;
    args[2] = transA ? m : 1;
    args[3] = operand(b, k * n, 1);
    args[4] = output(c, m * n);
    args[5] = k;
    args[6] = n;
    run(0, m, m * k * n);
    copyOut(c, m * n);
  };

  const sparse = (s: SparseMatrix): WasmSparseMatrix => {
    if (!(s instanceof WasmSparseMatrix)) throw new TypeError('sparse matrix made by other kernels');
    return s;
  };

  return {
    ...tsKernels,
    backend: 'wasm',
    description: `wasm (${variant === 'simd' ? 'SIMD' : 'relaxed SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`,

    allocate: (dtype: DType, length: number): FloatArray => (dtype === 'float32' ? heap.floats(length) : allocatePlain(dtype, length)),

    matmul: (a, b, c, m, k, n) => gemm(a, b, c, m, k, n, false),
    matmulTransA: (a, b, c, m, k, n) => gemm(a, b, c, m, k, n, true),
    matmulTransB(a, b, c, m, k, n) {
      if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) return tsKernels.matmulTransB(a, b, c, m, k, n);
      args[0] = operand(a, m * k, 0);
      args[1] = operand(b, n * k, 1);
      args[2] = output(c, m * n);
      args[3] = k;
      args[4] = n;
      run(1, m, m * k * n);
      copyOut(c, m * n);
    },

    bytesToFloats(bytes, x, at, scale, offset) {
      if (!(x instanceof Float32Array && heap.owns(x))) return tsKernels.bytesToFloats(bytes, x, at, scale, offset);
      if (staging.length < bytes.length) staging = heap.bytes(bytes.length);
      staging.set(bytes);
      wasm.bytesToFloats(staging.byteOffset, x.byteOffset + at * 4, bytes.length, scale, offset);
    },

    axpy(alpha, x, y, length) {
      if (!(x instanceof Float32Array && y instanceof Float32Array && heap.owns(x) && heap.owns(y))) return tsKernels.axpy(alpha, x, y, length);
      wasm.axpy(alpha, x.byteOffset, y.byteOffset, length);
    },

    sparseMatrix: () => new WasmSparseMatrix(heap.ints(1), heap.ints(0), heap.floats(0)),

    compress(a, m, k, into, maxDensity) {
      const s = sparse(into);
      if (!(a instanceof Float32Array)) return false;
      const capacity = Math.floor(maxDensity * m * k);
      if (s.rowStart.length < m + 1) s.rowStart = heap.ints(m + 1);
      // compress stores groups of four whole: room for 4 more than the capacity.
      if (s.index.length < capacity + 4) {
        s.index = heap.ints(capacity + 4);
        s.value = heap.floats(capacity + 4);
      }
      const count = wasm.compress(operand(a, m * k, 0), m, k, s.rowStart.byteOffset, s.index.byteOffset, s.value.byteOffset, capacity);
      if (count < 0) return false;
      s.rows = m;
      s.cols = k;
      s.nonZeros = count;
      return true;
    },

    sparseMatmul(into, b, c, n) {
      const s = sparse(into);
      if (!(b instanceof Float32Array && c instanceof Float32Array)) throw new TypeError('wasm sparse products take float32 arrays');
      args[0] = s.rowStart.byteOffset;
      args[1] = s.index.byteOffset;
      args[2] = s.value.byteOffset;
      args[3] = operand(b, s.cols * n, 1);
      args[4] = output(c, s.rows * n);
      args[5] = n;
      run(2, s.rows, s.nonZeros * n);
      copyOut(c, s.rows * n);
    },

    sparseMatmulTransA(into, b, c, n) {
      const s = sparse(into);
      if (!(b instanceof Float32Array && c instanceof Float32Array)) throw new TypeError('wasm sparse products take float32 arrays');
      args[0] = s.rowStart.byteOffset;
      args[1] = s.index.byteOffset;
      args[2] = s.value.byteOffset;
      args[3] = s.rows;
      args[4] = operand(b, s.rows * n, 1);
      args[5] = output(c, s.cols * n);
      args[6] = n;
      run(3, s.cols, s.nonZeros * n);
      copyOut(c, s.cols * n);
    },

    close() {
      workers?.close();
    },
  };
}

