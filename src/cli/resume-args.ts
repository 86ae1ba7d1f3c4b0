import { resolve } from 'node:path';
import type { RunManifest } from '../run/run-manifest.js';
import { givenFlags } from './given-flags.js';
import { flagName, UsageError } from './usage-error.js';

/** The flags that decide what a run computes (and how its folder is kept); run.json records them. */
export const RUN_FLAGS = [
  'preset', 'trainImages', 'trainLabels', 'testImages', 'testLabels', 'classes', 'stream', 'memoryBudget', 'shuffleBuffer',
  'epochs', 'batchSize', 'seed', 'sampler', 'maxLoss',
  'hidden', 'activation', 'init', 'initStd', 'batchNorm', 'dropout', 'weightDecay',
  'optimizer', 'lr', 'momentum', 'beta1', 'beta2', 'eps', 'lrSchedule', 'warmup',
  'saveBest', 'keepCheckpoints', 'backend', 'simd', 'threads',
] as const;

const DATA_FLAGS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;

/** Flags a resumed run may change: they alter neither the numbers nor the files already written. */
const CHANGEABLE_ON_RESUME = new Set(['resume', 'epochs', 'keepCheckpoints', 'threads', 'plot', 'quiet', 'cacheDir', 'offline', 'sha256', 'timeout', 'retries']);

/** The run flags of parsed arguments, with local data paths made absolute (a run may be resumed from elsewhere). */
export function recordArgs(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const recorded: Record<string, unknown> = {};
  for (const key of RUN_FLAGS) {
    const value = args[key];
    if (value === undefined) continue;
    recorded[key] = (DATA_FLAGS as readonly string[]).includes(key) ? absoluteSource(String(value)) : value;
  }
  return recorded;
}

export function absoluteSource(source: string): string {
  return /^https?:\/\//i.test(source) ? source : resolve(source);
}

/**
 * The arguments of a resumed run: those recorded in run.json, with the
 * flags typed again. A typed flag that changes the run is refused (exit 2);
 * `--epochs` may change, and the flags about fetching inputs and pruning
 * checkpoints.
 */
export function resumedArgs<T extends object>(manifest: RunManifest, args: T, rawArgs: readonly string[], dir: string): T {
  const typed = args as Readonly<Record<string, unknown>>;
  const merged: Record<string, unknown> = { ...typed };
  for (const key of RUN_FLAGS) delete merged[key];
  // Runs recorded before --simd existed computed with the plain kernels.
  Object.assign(merged, { simd: 'plain' }, manifest.args);
  for (const key of givenFlags(rawArgs)) {
    if (key === 'out') {
      if (absoluteSource(String(typed['out'])) !== absoluteSource(dir)) throw new UsageError(`--out: a resumed run stays in its folder (${dir}); leave --out out`);
      continue;
    }
    if (!(RUN_FLAGS as readonly string[]).includes(key) || CHANGEABLE_ON_RESUME.has(key)) {
      if (key in typed) merged[key] = typed[key];
      continue;
    }
    const value = (DATA_FLAGS as readonly string[]).includes(key) ? absoluteSource(String(typed[key])) : typed[key];
    if (JSON.stringify(value) !== JSON.stringify(manifest.args[key])) {
      const was = manifest.args[key] === undefined ? 'without it' : `with ${JSON.stringify(manifest.args[key])}`;
      throw new UsageError(`${flagName(key)}: the run in ${dir} was started ${was}; a resumed run keeps its settings (only --epochs may change)`);
    }
  }
  return merged as T;
}
