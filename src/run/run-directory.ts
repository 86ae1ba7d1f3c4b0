import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { createCsv } from '../sinks/csv-file.js';

/** The files of a run folder: a contract that users' scripts rely on. */
export const EPOCHS_CSV = 'epochs.csv';
export const STEPS_CSV = 'steps.csv';
export const CHECKPOINTS_DIR = 'checkpoints';
export const RUN_JSON = 'run.json';
export const BEST_CHECKPOINT = 'best.safetensors';
export const EPOCH_COLUMNS = ['epoch', 'iteration', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'lr', 'seconds'] as const;
export const STEP_COLUMNS = ['epoch', 'iteration', 'loss'] as const;

export interface RunDirectory {
  readonly dir: string;
  readonly epochsCsv: string;
  readonly stepsCsv: string;
  readonly checkpoints: string;
}

/**
 * Creates the run folder with empty CSVs (headers only). A folder that
 * already holds a run is refused, so an earlier run is never overwritten.
 */
export async function createRunDirectory(dir: string): Promise<RunDirectory> {
  const run = runDirectory(dir);
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${dir}: cannot create the run folder (${error.code ?? error.message})`);
  });
  const existing = (await readdir(dir)).filter((name) => [EPOCHS_CSV, STEPS_CSV, CHECKPOINTS_DIR, RUN_JSON].includes(name));
  if (existing.length > 0) {
    throw new InputError(`${dir}: already holds a run (${existing.join(', ')}); choose another output folder`);
  }
  await mkdir(run.checkpoints);
  await createCsv(run.epochsCsv, EPOCH_COLUMNS);
  await createCsv(run.stepsCsv, STEP_COLUMNS);
  return run;
}

/** The paths of the files in run folder `dir`. */
export function runDirectory(dir: string): RunDirectory {
  return { dir, epochsCsv: join(dir, EPOCHS_CSV), stepsCsv: join(dir, STEPS_CSV), checkpoints: join(dir, CHECKPOINTS_DIR) };
}

/**
 * Opens a run folder to continue a run in it: creates whatever a crash
 * left missing (CSVs with their headers, checkpoints/) and removes the
 * temporary files of interrupted writes.
 */
export async function openRunDirectory(dir: string): Promise<RunDirectory> {
  const run = runDirectory(dir);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new InputError(`${dir}: no such run folder`);
  await mkdir(run.checkpoints, { recursive: true });
  for (const [path, columns] of [[run.epochsCsv, EPOCH_COLUMNS], [run.stepsCsv, STEP_COLUMNS]] as const) {
    if (!(await stat(path).then(() => true, () => false))) await createCsv(path, columns);
  }
  for (const folder of [run.dir, run.checkpoints]) {
    for (const name of await readdir(folder)) {
      if (name.startsWith('.') && name.endsWith('.tmp')) await rm(join(folder, name), { force: true });
    }
  }
  return run;
}

/**
 * Creates a new, empty folder named `base`, or `base-2`, `base-3`, ... if
 * that name is taken: each attempt is an atomic mkdir, so runs started at
 * the same moment never share a folder. Returns the folder's path.
 */
export async function claimNewFolder(base: string): Promise<string> {
  await mkdir(dirname(base), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const path = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      await mkdir(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError(`${path}: cannot create the run folder (${(error as NodeJS.ErrnoException).code})`);
      }
    }
  }
}
