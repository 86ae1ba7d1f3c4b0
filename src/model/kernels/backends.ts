import type { Kernels } from './kernels.js';
import { tsKernels } from './ts-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';
import type { SimdChoice } from './wasm-module.js';

/** ts: the TypeScript reference kernels; wasm: every kernel in WebAssembly SIMD, threaded. */
export const BACKENDS = ['ts', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Threads for the wasm kernels (default 1); the TypeScript kernels run on one. */
  readonly threads?: number | undefined;
  /** How the wasm kernels round (default auto: relaxed where the engine accepts it); the TypeScript kernels are plain. */
  readonly simd?: SimdChoice | undefined;
}

export function kernelsFor(backend: Backend, options: BackendOptions = {}): Kernels {
  return backend === 'wasm' ? createWasmKernels({ threads: options.threads, simd: options.simd }) : tsKernels;
}
