import { readFileSync } from 'node:fs';
import type { FloatArray, Kernels } from './kernels.js';
import { tsKernels } from './ts-kernels.js';

/** Built by `npm run build` (assembly/kernels.ts, AssemblyScript with SIMD) into wasm/ at the package root. */
const WASM_URL = new URL('../../../wasm/kernels.wasm', import.meta.url);

interface WasmExports {
  readonly memory: WebAssembly.Memory;
  gemm(a: number, ars: number, acs: number, b: number, c: number, m: number, k: number, n: number): void;
  gemmTransB(a: number, b: number, c: number, m: number, k: number, n: number): void;
}

/** Where operands start in the module's memory (below: the module's own static data). */
const ARENA = 1024;
const PAGE = 65536;
const padded = (values: number): number => Math.ceil((values * 4) / 16) * 16;

/**
 * The matrix products in WebAssembly with 128-bit SIMD (float32 only; float64
 * arrays, used by the gradient checks, go to the TypeScript kernels, as do
 * all element-wise kernels). Operands are copied into the module's memory,
 * which grows to the largest product seen and is then reused.
 */
export function createWasmKernels(): Kernels {
  const module = new WebAssembly.Module(readFileSync(WASM_URL));
  const wasm = new WebAssembly.Instance(module, {
    env: {
      abort: () => {
        throw new Error('rxnn wasm kernels: abort');
      },
    },
  }).exports as unknown as WasmExports;
  let heap = new Float32Array(wasm.memory.buffer);
  const tsProduct = { matmul: tsKernels.matmul, matmulTransA: tsKernels.matmulTransA, matmulTransB: tsKernels.matmulTransB };

  /** a, b and c one after another (each padded to 16 bytes) from ARENA on; the memory grows when they do not fit. */
  const product = (kind: keyof typeof tsProduct, a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void => {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) return tsProduct[kind](a, b, c, m, k, n);
    const pa = ARENA;
    const pb = pa + padded(m * k);
    const pc = pb + padded(k * n);
    const missing = pc + padded(m * n) - wasm.memory.buffer.byteLength;
    if (missing > 0) wasm.memory.grow(Math.ceil(missing / PAGE));
    if (heap.buffer !== wasm.memory.buffer) heap = new Float32Array(wasm.memory.buffer);
    heap.set(a.length === m * k ? a : a.subarray(0, m * k), pa / 4);
    heap.set(b.length === k * n ? b : b.subarray(0, k * n), pb / 4);
    if (kind === 'matmul') wasm.gemm(pa, k, 1, pb, pc, m, k, n);
    else if (kind === 'matmulTransA') wasm.gemm(pa, 1, m, pb, pc, m, k, n);
    else wasm.gemmTransB(pa, pb, pc, m, k, n);
    c.set(heap.subarray(pc / 4, pc / 4 + m * n));
  };

  return {
    ...tsKernels,
    backend: 'wasm',
    matmul: (a, b, c, m, k, n) => product('matmul', a, b, c, m, k, n),
    matmulTransA: (a, b, c, m, k, n) => product('matmulTransA', a, b, c, m, k, n),
    matmulTransB: (a, b, c, m, k, n) => product('matmulTransB', a, b, c, m, k, n),
  };
}
