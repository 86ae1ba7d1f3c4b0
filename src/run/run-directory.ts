import { readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { errorCode, fileError, namingFile } from '../core/file-errors.js';
import { isTemporaryName, writeFileAtomic } from '../core/atomic-write.js';
import { writeCsvHeader } from '../sinks/csv-file.js';

import { EPOCH_TABLE, EPOCHS_CSV, STEP_TABLE, STEPS_CSV } from '../core/metric-rows.js';
import { RUN_JSON } from '../core/run-manifest.js';

/** The files of a run folder: a contract that users' scripts rely on (the metric files' columns are in core/metric-rows). */
export { EPOCH_COLUMNS, EPOCHS_CSV, STEP_COLUMNS, STEPS_CSV } from '../core/metric-rows.js';
export { RUN_JSON } from '../core/run-manifest.js';
export const CHECKPOINTS_DIR = 'checkpoints';
export const BEST_CHECKPOINT = 'best.safetensors';

export interface RunDirectory {
  readonly dir: string;
  readonly epochsCsv: string;
  readonly stepsCsv: string;
  readonly checkpoints: string;
}

/** Creates folder `dir` and its parents if missing (a new run's folder, before it is locked and filled). */
export async function makeRunFolder(dir: string): Promise<void> {
  await namingFile(dir, 'create the run folder', mkdir(dir, { recursive: true }));
}

/**
 * Fills a new run folder with empty CSVs (headers only) and checkpoints/.
 * A folder that holds a run (run.json, a checkpoint or a CSV row) is
 * refused, so an earlier run is never overwritten; what a start that failed
 * before its first record left behind (empty CSVs, empty checkpoints/) is
 * reused. Call it holding the folder's lock (see lockRunFolder).
 */
export async function createRunDirectory(dir: string): Promise<RunDirectory> {
  const run = runDirectory(dir);
  await makeRunFolder(dir);
  const held = await recordsIn(run);
  if (held.length > 0) {
    throw new InputError(`${dir}: already holds a run (${held.join(', ')}); choose another output folder`);
  }
  await removeTemporaryFiles(run);
  await makeCheckpointsFolder(run);
  for (const table of [EPOCH_TABLE, STEP_TABLE]) await writeCsvHeader(join(dir, table.file), table.columns);
  return run;
}

/** The paths of the files in run folder `dir`. */
export function runDirectory(dir: string): RunDirectory {
  return { dir, epochsCsv: join(dir, EPOCH_TABLE.file), stepsCsv: join(dir, STEP_TABLE.file), checkpoints: join(dir, CHECKPOINTS_DIR) };
}

/**
 * Opens a run folder to continue a run in it: creates whatever a crash
 * left missing (CSVs with their headers, checkpoints/) and removes the
 * temporary files of interrupted writes. Call it holding the folder's lock.
 */
export async function openRunDirectory(dir: string): Promise<RunDirectory> {
  const run = runDirectory(dir);
  if (!(await isFolder(dir))) throw new InputError(`${dir}: no such run folder`);
  await makeCheckpointsFolder(run);
  for (const table of [EPOCH_TABLE, STEP_TABLE]) {
    if (!(await exists(join(dir, table.file)))) await writeCsvHeader(join(dir, table.file), table.columns);
    else await addNewColumns(join(dir, table.file), table.columns);
  }
  await removeTemporaryFiles(run);
  return run;
}

/**
 * Creates a new, empty folder named `base`, or `base-2`, `base-3`, ... if
 * that name is taken: each attempt is an atomic mkdir, so runs started at
 * the same moment never share a folder. Returns the folder's path.
 */
export async function claimNewFolder(base: string): Promise<string> {
  await namingFile(dirname(base), 'create the folder', mkdir(dirname(base), { recursive: true }));
  for (let attempt = 1; ; attempt++) {
    const path = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      await mkdir(path);
      return path;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw fileError(path, 'create the run folder', error);
    }
  }
}

/** What in a run folder shows that a run has recorded something there. */
async function recordsIn(run: RunDirectory): Promise<string[]> {
  const found: string[] = [];
  if (await exists(join(run.dir, RUN_JSON))) found.push(RUN_JSON);
  for (const name of [EPOCHS_CSV, STEPS_CSV]) {
    const path = join(run.dir, name);
    const text = await readFile(path, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' ? '' : Promise.reject(fileError(path, 'read', error))));
    if (text.trimEnd().includes('\n')) found.push(name);
  }
  if (await exists(run.checkpoints)) {
    const files = await namingFile(run.checkpoints, 'read the folder', readdir(run.checkpoints));
    if (files.some((name) => !isTemporaryName(name))) found.push(CHECKPOINTS_DIR);
  }
  return found;
}

async function makeCheckpointsFolder(run: RunDirectory): Promise<void> {
  const kind = await stat(run.checkpoints).then((s) => (s.isDirectory() ? 'folder' : 'other'), () => 'none');
  if (kind === 'other') throw new InputError(`${run.checkpoints}: not a folder; a run folder keeps its checkpoints in this folder`);
  if (kind === 'none') await namingFile(run.checkpoints, 'create the folder', mkdir(run.checkpoints));
}

/** Temporary files of writes that a stopped process left; only the folder's owner may remove them. */
async function removeTemporaryFiles(run: RunDirectory): Promise<void> {
  for (const folder of [run.dir, run.checkpoints]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter(isTemporaryName)) await namingFile(join(folder, name), 'remove', rm(join(folder, name), { force: true }));
  }
}

/** removeTemporaryFiles, synchronously: for a process that exits at once, holding the folder's lock. */
export function removeTemporaryFilesSync(dir: string): void {
  const run = runDirectory(dir);
  for (const folder of [run.dir, run.checkpoints]) {
    try {
      for (const name of readdirSync(folder).filter(isTemporaryName)) rmSync(join(folder, name), { force: true });
    } catch {
      // nothing to clean there
    }
  }
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (error: unknown) => (errorCode(error) === 'ENOENT' ? false : Promise.reject(fileError(path, 'read', error))));
}

/**
 * A metric file written before columns were added to its table (its header
 * the first columns of today's) gets them, empty in the rows it holds, so
 * the rows a resumed run appends stand under their names.
 */
async function addNewColumns(path: string, columns: readonly string[]): Promise<void> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  const header = lines[0]!.split(',');
  if (header.length >= columns.length || header.some((name, i) => name !== columns[i])) return;
  const padding = ','.repeat(columns.length - header.length);
  const widened = lines.map((line, i) => (i === 0 ? columns.join(',') : line === '' ? line : `${line}${padding}`));
  await writeFileAtomic(path, new TextEncoder().encode(widened.join('\n')));
}
