import type { Kernels } from './kernels.js';
import { tsKernels } from './ts-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';

/** ts: the TypeScript reference kernels; wasm: products and scaling in WebAssembly SIMD (threaded), the rest TypeScript. */
export const BACKENDS = ['ts', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Threads for the wasm products (default 1); the TypeScript kernels run on one. */
  readonly threads?: number;
}

export function kernelsFor(backend: Backend, options: BackendOptions = {}): Kernels {
  return backend === 'wasm' ? createWasmKernels({ threads: options.threads }) : tsKernels;
}
