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

  /** Places the operands (padded to 16 bytes) and returns their byte addresses. */
  const place = (...sizes: number[]): number[] => {
    const addresses: number[] = [];
    let end = ARENA;
    for (const size of sizes) {
      addresses.push(end);
      end += Math.ceil((size * 4) / 16) * 16;
    }
    const missing = end - wasm.memory.buffer.byteLength;
    if (missing > 0) wasm.memory.grow(Math.ceil(missing / PAGE));
    if (heap.buffer !== wasm.memory.buffer) heap = new Float32Array(wasm.memory.buffer);
    return addresses;
  };
  const copyIn = (address: number, source: Float32Array, size: number): void => heap.set(source.subarray(0, size), address / 4);
  const copyOut = (address: number, target: Float32Array, size: number): void => target.set(heap.subarray(address / 4, address / 4 + size));
  const all32 = (...arrays: FloatArray[]): boolean => arrays.every((x) => x instanceof Float32Array);

  const gemm = (transA: boolean, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void => {
    const [pa, pb, pc] = place(m * k, k * n, m * n) as [number, number, number];
    copyIn(pa, a, m * k);
    copyIn(pb, b, k * n);
    if (transA) wasm.gemm(pa, 1, m, pb, pc, m, k, n);
    else wasm.gemm(pa, k, 1, pb, pc, m, k, n);
    copyOut(pc, c, m * n);
  };

  return {
    ...tsKernels,
    backend: 'wasm',
    matmul(a, b, c, m, k, n) {
      if (!all32(a, b, c)) return tsKernels.matmul(a, b, c, m, k, n);
      gemm(false, a as Float32Array, b as Float32Array, c as Float32Array, m, k, n);
    },
    matmulTransA(a, b, c, m, k, n) {
      if (!all32(a, b, c)) return tsKernels.matmulTransA(a, b, c, m, k, n);
      gemm(true, a as Float32Array, b as Float32Array, c as Float32Array, m, k, n);
    },
    matmulTransB(a, b, c, m, k, n) {
      if (!all32(a, b, c)) return tsKernels.matmulTransB(a, b, c, m, k, n);
      const [pa, pb, pc] = place(m * k, n * k, m * n) as [number, number, number];
      copyIn(pa, a as Float32Array, m * k);
      copyIn(pb, b as Float32Array, n * k);
      wasm.gemmTransB(pa, pb, pc, m, k, n);
      copyOut(pc, c as Float32Array, m * n);
    },
  };
}
