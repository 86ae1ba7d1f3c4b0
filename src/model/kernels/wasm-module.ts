import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { InputError } from '../../core/errors.js';

/** Built by `npm run build` (assembly/kernels.ts, AssemblyScript) into wasm/ at the package root. */
const WASM_DIR = new URL('../../../wasm/', import.meta.url);

/**
 * How the WebAssembly kernels round. plain: 128-bit SIMD, every element-wise
 * value exactly as the TypeScript reference computes it, products with a
 * rounding after each multiply and each add: the same numbers on every
 * machine. relaxed: relaxed SIMD's fused multiply-add in the products (one
 * rounding; a CPU without FMA gives the plain products instead) and a
 * polynomial sigmoid, faster. auto: relaxed where the engine accepts it.
 */
export const SIMD_VARIANTS = ['plain', 'relaxed', 'auto'] as const;
export type SimdChoice = (typeof SIMD_VARIANTS)[number];
export type SimdVariant = Exclude<SimdChoice, 'auto'>;

export interface KernelModule {
  readonly module: WebAssembly.Module;
  readonly variant: SimdVariant;
}

const modules = new Map<SimdVariant, WebAssembly.Module>();

/**
 * The compiled kernels of the chosen variant ('auto': relaxed when the
 * engine can run it). Node 20 accepts relaxed SIMD only behind the V8 flag
 * --experimental-wasm-relaxed-simd; it is turned on here, before the module
 * is compiled (turning it on changes nothing else). Throws when 'relaxed'
 * is asked for and the engine still refuses it. Compiled once per process.
 */
export function loadKernelModule(choice: SimdChoice = 'auto'): KernelModule {
  const variant = choice === 'auto' ? (relaxedAvailable() ? 'relaxed' : 'plain') : choice;
  let module = modules.get(variant);
  if (module === undefined) {
    const bytes = readFileSync(new URL(variant === 'relaxed' ? 'kernels-relaxed.wasm' : 'kernels.wasm', WASM_DIR));
    if (variant === 'relaxed' && !relaxedAvailable(bytes)) throw new RelaxedSimdUnavailable();
    module = new WebAssembly.Module(bytes);
    modules.set(variant, module);
  }
  return { module, variant };
}

/** This engine cannot run relaxed SIMD (asked for, or recorded by the run or checkpoint being continued). */
export class RelaxedSimdUnavailable extends InputError {
  constructor() {
    super(`--simd relaxed: this JavaScript engine (Node ${process.version}) cannot run relaxed SIMD; use --simd plain (other rounding)`);
  }
}

let relaxed: boolean | undefined;

function relaxedAvailable(bytes?: Uint8Array): boolean {
  if (relaxed === undefined) {
    const module = bytes ?? readFileSync(new URL('kernels-relaxed.wasm', WASM_DIR));
    if (!WebAssembly.validate(module)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxed = WebAssembly.validate(module);
  }
  return relaxed;
}
