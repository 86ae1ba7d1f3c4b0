import type { Argv } from 'yargs';
import { BACKENDS, type Backend } from '../model/kernels/backends.js';
import { parseChoice } from './parse-flags.js';

const DESCRIBE = 'wasm: matrix products in WebAssembly SIMD (about 2.7x faster on the lesson); ts: the TypeScript reference kernels';

/** --backend for train (default wasm). */
export function trainBackendOption<T>(y: Argv<T>) {
  return y.option('backend', { group: 'Compute:', describe: DESCRIBE, default: 'wasm' as Backend, coerce: parseChoice('backend', BACKENDS) });
}

/** --backend for eval and predict: by default the one the checkpoint was trained with, so its numbers are reproduced. */
export function checkpointBackendOption<T>(y: Argv<T>) {
  return y.option('backend', {
    describe: `${DESCRIBE} (default: the backend the checkpoint was trained with)`,
    coerce: parseChoice('backend', BACKENDS),
  });
}
