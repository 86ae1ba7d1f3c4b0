import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, SettingError } from '../core/errors.js';
import { RUN_JSON } from '../run/run-directory.js';
import type { StoredRunManifest } from '../run/run-manifest.js';
import { checkWithSchema } from '../core/schema-check.js';
import { givenFlags } from './given-flags.js';
import { runArgsSchema } from './run-args-schema.js';
import { flagName, UsageError } from './usage-error.js';

/** The flags that decide what a run computes (and how its folder is kept); run.json records them. */
export const RUN_FLAGS = Object.keys(runArgsSchema.shape) as readonly (keyof typeof runArgsSchema.shape)[];

const DATA_FLAGS = ['trainImages', 'trainLabels', 'testImages', 'testLabels', 'validationImages', 'validationLabels'] as const;

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

/** A resumed run: the recorded flags, which of them were typed again, and where run.json is (for messages). */
export interface Resumed<T> {
  readonly args: T;
  /** Check the run's settings; a setting out of range that came from run.json is reported as run.json's field. */
  readonly checking: <R>(work: () => R) => R;
}

/**
 * The arguments of a resumed run: those recorded in run.json (each checked:
 * a key that is no run flag, or a value of the wrong type, is an InputError
 * naming run.json and the field), with the flags typed again. A typed flag
 * that changes the run is refused (exit 2); `--epochs` may change, and the
 * flags about fetching inputs and pruning checkpoints.
 */
export function resumedArgs<T extends object>(manifest: StoredRunManifest, args: T, rawArgs: readonly string[], dir: string): Resumed<T> {
  const where = join(dir, RUN_JSON);
  const recorded = checkWithSchema(z.looseObject({ args: runArgsSchema }), manifest, where).args as Readonly<Record<string, unknown>>;
  const typed = args as Readonly<Record<string, unknown>>;
  // Flags with a default that run.json lacks (it was written before they existed) keep the default,
  // but for --simd: runs recorded before it existed computed with the plain kernels.
  const merged: Record<string, unknown> = { ...typed, simd: 'plain', ...recorded };
  const given = givenFlags(rawArgs);
  for (const key of given) {
    if (key === 'out') {
      if (absoluteSource(String(typed['out'])) !== absoluteSource(dir)) throw new UsageError(`--out: a resumed run stays in its folder (${dir}); leave --out out`);
      continue;
    }
    if (!(RUN_FLAGS as readonly string[]).includes(key) || CHANGEABLE_ON_RESUME.has(key)) {
      if (key in typed) merged[key] = typed[key];
      continue;
    }
    const value = (DATA_FLAGS as readonly string[]).includes(key) ? absoluteSource(String(typed[key])) : typed[key];
    if (JSON.stringify(value) !== JSON.stringify(recorded[key])) {
      const was = recorded[key] === undefined ? 'without it' : `with ${JSON.stringify(recorded[key])}`;
      throw new UsageError(`${flagName(key)}: the run in ${dir} was started ${was}; a resumed run keeps its settings (only --epochs, --keep-checkpoints, --threads, --plot, --quiet and the fetching flags may change)`);
    }
  }
  const checking = <R>(work: () => R): R => {
    try {
      return work();
    } catch (error) {
      if (error instanceof SettingError && error.setting in recorded && !given.has(error.setting)) {
        throw new InputError(`${where}: args.${error.setting}: ${error.problem}`);
      }
      throw error;
    }
  };
  return { args: merged as T, checking };
}
