import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { BACKENDS, type Backend } from '../model/kernels/backends.js';
import { SIMD_VARIANTS, type SimdChoice } from '../model/kernels/wasm-module.js';
import { parseChoice, parseInteger } from './parse-flags.js';
import { UsageError } from './usage-error.js';

/** The most threads the wasm kernels are given. */
export const MAX_THREADS = 64;

const DESCRIBE = 'wasm: WebAssembly SIMD kernels, sparse first layer, threads; ts: the TypeScript reference kernels';

/** --threads: how many threads the wasm products use; the numbers do not depend on it. */
function threadsOption<T>(y: Argv<T>) {
  return y.option('threads', {
    group: 'Compute:',
    describe: 'threads for the wasm kernels (the results are the same for any count)',
    default: availableParallelism(),
    defaultDescription: 'the available cores',
    coerce: (value: unknown) => {
      const threads = parseInteger('threads')(value);
      if (threads < 1 || threads > MAX_THREADS) throw new UsageError(`--threads: expected 1 to ${MAX_THREADS}, got ${threads}`);
      return threads;
    },
  });
}

const SIMD_DESCRIBE =
  'how the wasm kernels round: plain (the same numbers on every machine), relaxed (fused multiply-add and a polynomial sigmoid: faster; ' +
  'on a CPU without FMA the products round as plain), auto (relaxed where Node can run it)';

/** --simd: the wasm kernels' rounding (run.json and checkpoints record the variant that ran). */
function simdOption<T>(y: Argv<T>, describe: string, fallback?: SimdChoice) {
  return y.option('simd', {
    group: 'Compute:',
    describe,
    ...(fallback === undefined ? {} : { default: fallback }),
    coerce: parseChoice('simd', SIMD_VARIANTS),
  });
}

/** --backend for train (default wasm), --simd and --threads. */
export function trainBackendOption<T>(y: Argv<T>) {
  return threadsOption(
    simdOption(y.option('backend', { group: 'Compute:', describe: DESCRIBE, default: 'wasm' as Backend, coerce: parseChoice('backend', BACKENDS) }), SIMD_DESCRIBE, 'auto'),
  );
}

/** --backend and --simd for eval and predict: by default those the checkpoint was trained with, so its numbers are reproduced; and --threads. */
export function checkpointBackendOption<T>(y: Argv<T>) {
  return threadsOption(
    simdOption(
      y.option('backend', {
        group: 'Compute:',
        describe: `${DESCRIBE} (default: the backend the checkpoint was trained with)`,
        coerce: parseChoice('backend', BACKENDS),
      }),
      `${SIMD_DESCRIBE} (default: the variant the checkpoint was trained with)`,
    ),
  );
}
