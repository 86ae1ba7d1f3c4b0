import { join } from 'node:path';
import { runData } from '../run/run-data.js';
import { InputError } from '../core/errors.js';
import { runMismatch } from '../run/check-resume-point.js';
import { modelSpecOf } from '../run/model-spec-of.js';
import { findResumePoint, type ResumePoint } from '../run/resume-point.js';
import { CHECKPOINTS_DIR, claimNewFolder, createRunDirectory, makeRunFolder, RUN_JSON } from '../run/run-directory.js';
import { lockRunFolder, type LockHolder, type RunLock } from '../run/run-lock.js';
import { readManifest, writeManifest, type RunManifest, type StoredRunManifest } from '../run/run-manifest.js';
import { gitCommit, RXNN_VERSION } from './build-info.js';
import { recordArgs, resumedArgs, type Resumed } from './resume-args.js';
import type { TrainArgs } from './train-options.js';
import type { PreparedRun } from './train-prepare.js';
import { checkEpochs, checkSameInputs } from './train-record.js';

/** A run folder this process owns, with its run.json written: ready to train in. */
export interface OwnedFolder {
  readonly outDir: string;
  readonly lock: RunLock;
  readonly record: RunManifest;
  readonly from: ResumePoint | undefined;
}

/** A run to resume: its checked run.json, its folder locked, and the arguments it records. */
export interface ResumedRun extends Resumed<TrainArgs> {
  readonly dir: string;
  readonly manifest: StoredRunManifest;
  readonly lock: RunLock;
}

function tellTakeOver(dir: string): (stale: LockHolder | undefined) => void {
  return (stale) => {
    const who = stale === undefined ? 'an unreadable lock' : `the lock of pid ${stale.pid} (since ${stale.since}), which no longer runs`;
    process.stderr.write(`rxnn: ${dir}: taking over ${who}\n`);
  };
}

/** Reads and checks DIR/run.json and locks DIR, first thing, so a second process on the same run is refused at once. */
export async function openResumedRun(typed: TrainArgs, rawArgs: readonly string[]): Promise<ResumedRun> {
  const dir = typed.resume!;
  const manifest = await readManifest(dir);
  const lock = await lockRunFolder(dir, { onTakeOver: tellTakeOver(dir) });
  try {
    return { ...resumedArgs(manifest, typed, rawArgs, dir), dir, manifest, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Creates (or reuses an empty) run folder, locks it, fills it and writes run.json. */
export async function startFolder(args: TrainArgs, prepared: PreparedRun, command: readonly string[], defaultFolder: () => string): Promise<OwnedFolder> {
  const outDir = args.out ?? (await claimNewFolder(defaultFolder()));
  await makeRunFolder(outDir);
  const lock = await lockRunFolder(outDir, { onTakeOver: tellTakeOver(outDir) });
  try {
    await createRunDirectory(outDir);
    const record: RunManifest = {
      format: 1,
      command,
      // the variant that runs, not auto: a resume computes as the run began
      args: recordArgs({ ...args, simd: prepared.kernels.simd }),
      inputs: prepared.inputs,
      settings: prepared.settings,
      rxnn: { version: RXNN_VERSION, commit: await gitCommit() },
      node: process.version,
      started: new Date().toISOString(),
      resumes: [],
      status: 'running',
    };
    await writeManifest(outDir, record);
    return { outDir, lock, record, from: undefined };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Finds the checkpoint a resumed run continues from (damaged ones are
 * reported and passed over), checks that run.json and that checkpoint
 * agree, and records the resume in run.json.
 */
export async function continueFolder(resumed: ResumedRun, prepared: PreparedRun, command: readonly string[]): Promise<OwnedFolder> {
  const { dir, manifest } = resumed;
  const { settings, train } = prepared;
  checkSameInputs(manifest, prepared.inputs);
  const spec = modelSpecOf(settings, train);
  // the samples trained on: without those held out for validation
  const trained = runData(train, prepared.validation, settings).train.count;
  const expected = { spec, optimizer: settings.optimizer.name, stepsPerEpoch: Math.ceil(trained / settings.data.batchSize) };
  const from = await findResumePoint(join(dir, CHECKPOINTS_DIR), (name, problem) => process.stderr.write(`rxnn: skipping checkpoint ${name}: ${problem}\n`), expected);
  const mismatch = from && runMismatch(from, spec, settings, prepared.kernels);
  if (from !== undefined && mismatch !== undefined) {
    throw new InputError(
      `${join(dir, RUN_JSON)}: ${mismatch.field} is ${mismatch.run}, but ${from.name} was trained with ${mismatch.checkpoint}; a resumed run keeps the settings it was trained with`,
    );
  }
  checkEpochs(from, settings, dir);
  const record: RunManifest = {
    ...manifest,
    args: { ...manifest.args, epochs: settings.run.epochs },
    settings,
    resumes: [...manifest.resumes, { at: new Date().toISOString(), from: from?.name, command }],
    status: 'running',
    finished: undefined,
    message: undefined,
  };
  await writeManifest(dir, record);
  return { outDir: dir, lock: resumed.lock, record, from };
}
