import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { errorCode, fileError } from '../core/file-errors.js';
import { makeRunFolder, RUN_JSON } from '../run/run-directory.js';
import { readManifest, type RunStatus } from '../run/run-manifest.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Trial } from './sweep-trials.js';

/** DIR/sweep.json: the trials of the sweep whose run folders DIR holds. */
export const SWEEP_JSON = 'sweep.json';

/** Statuses after which a trial is not run again: it has its result. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'diverged'];

/** trial-0000, trial-0001, ...: sortable, wider only for sweeps of 10,000 trials or more. */
export function trialFolder(sweepDir: string, index: number, count: number): string {
  return join(sweepDir, `trial-${String(index).padStart(Math.max(4, String(count - 1).length), '0')}`);
}

/**
 * Records the trials in DIR/sweep.json, or checks that the folder's record
 * holds the same trials: a changed sweep file would mix the results of two
 * studies, so it is refused. Several processes (cluster tasks) may call it
 * at once: each writes the same bytes, whole.
 */
export async function recordSweep(sweepDir: string, trials: readonly Trial[]): Promise<void> {
  await makeRunFolder(sweepDir);
  const path = join(sweepDir, SWEEP_JSON);
  const text = `${JSON.stringify({ format: 1, trials }, null, 2)}\n`;
  const recorded = await readFile(path, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : Promise.reject(fileError(path, 'read', error))));
  if (recorded === undefined) return writeFileAtomic(path, new TextEncoder().encode(text));
  if (recorded === text) return;
  const before = parseTrials(recorded);
  const changed = trials.find((trial, i) => JSON.stringify(trial) !== JSON.stringify(before?.[i]));
  const what = before === undefined ? 'is not a sweep rxnn wrote' : changed === undefined ? `holds ${before.length} trials, the file gives ${trials.length}` : `trial ${changed.index} differs`;
  throw new InputError(`${path}: this folder holds another sweep (${what}); give the sweep another --out, or remove the folder`);
}

function parseTrials(text: string): readonly Trial[] | undefined {
  try {
    const parsed = JSON.parse(text) as { trials?: unknown };
    return Array.isArray(parsed.trials) ? (parsed.trials as Trial[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Where a trial's run stands: 'new' without run.json, else the status it records. */
export async function trialStatus(folder: string): Promise<RunStatus | 'new'> {
  const exists = await readFile(join(folder, RUN_JSON)).then(() => true, (error: unknown) => (errorCode(error) === 'ENOENT' ? false : Promise.reject(fileError(join(folder, RUN_JSON), 'read', error))));
  return exists ? (await readManifest(folder)).status : 'new';
}
