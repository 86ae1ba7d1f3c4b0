import { readFileSync } from 'node:fs';

/** Built by `npm run build` (assembly/kernels.ts, AssemblyScript) into wasm/ at the package root. */
const WASM_DIR = new URL('../../../wasm/', import.meta.url);

export type SimdVariant = 'relaxed-simd' | 'simd';

export interface KernelModule {
  readonly module: WebAssembly.Module;
  readonly variant: SimdVariant;
}

/**
 * The kernels compiled for this engine: with relaxed SIMD (fused
 * multiply-add) when it validates, else plain 128-bit SIMD (Node 20
 * validates relaxed SIMD only with --experimental-wasm-relaxed-simd).
 * The two round differently; `prefer: 'simd'` keeps to the plain variant,
 * so results are the same on engines with and without relaxed SIMD.
 */
export function loadKernelModule(prefer: SimdVariant = 'relaxed-simd'): KernelModule {
  if (prefer === 'relaxed-simd') {
    const relaxed = readFileSync(new URL('kernels-relaxed.wasm', WASM_DIR));
    if (WebAssembly.validate(relaxed)) return { module: new WebAssembly.Module(relaxed), variant: 'relaxed-simd' };
  }
  return { module: new WebAssembly.Module(readFileSync(new URL('kernels.wasm', WASM_DIR))), variant: 'simd' };
}
