import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { BACKENDS, type Backend } from '../model/kernels/backends.js';
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

/** --backend for train (default wasm) and --threads. */
export function trainBackendOption<T>(y: Argv<T>) {
  return threadsOption(y.option('backend', { group: 'Compute:', describe: DESCRIBE, default: 'wasm' as Backend, coerce: parseChoice('backend', BACKENDS) }));
}

/** --backend for eval and predict: by default the one the checkpoint was trained with, so its numbers are reproduced; and --threads. */
export function checkpointBackendOption<T>(y: Argv<T>) {
  return threadsOption(
    y.option('backend', {
      group: 'Compute:',
      describe: `${DESCRIBE} (default: the backend the checkpoint was trained with)`,
      coerce: parseChoice('backend', BACKENDS),
    }),
  );
}
