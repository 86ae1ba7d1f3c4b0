import type { Kernels } from './kernels.js';
import { tsKernels } from './ts-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';

/** ts: the TypeScript reference kernels; wasm: matrix products in WebAssembly SIMD, the rest TypeScript. */
export const BACKENDS = ['ts', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];

export function kernelsFor(backend: Backend): Kernels {
  return backend === 'wasm' ? createWasmKernels() : tsKernels;
}
