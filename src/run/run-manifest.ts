import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../sinks/atomic-write.js';
import { RUN_JSON } from './run-directory.js';
import type { TrainSettings } from './settings.js';
import type { EpochMetrics } from './training-state.js';

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'diverged' | 'failed';

export interface RunInput {
  /** Absolute path or URL. */
  readonly source: string;
  readonly sha256: string | undefined;
}

/** DIR/run.json: what a run was asked to do, with what, and how it ended. */
export interface RunManifest {
  readonly format: 1;
  /** The command line, as typed (without `node` and the script). */
  readonly command: readonly string[];
  /** The parsed flags the run was started with; `--resume` starts from these. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', RunInput>>;
  /** Every effective setting. */
  readonly settings: TrainSettings;
  readonly rxnn: { readonly version: string; readonly commit: string | undefined };
  readonly node: string;
  readonly started: string;
  readonly resumes: readonly { readonly at: string; readonly from: string | undefined; readonly command: readonly string[] }[];
  readonly status: RunStatus;
  readonly finished?: string | undefined;
  /** The last finished epoch's metrics. */
  readonly final?: (EpochMetrics & { readonly epoch: number; readonly iteration: number; readonly seconds: number }) | undefined;
  /** Why the run stopped, when it did not complete. */
  readonly message?: string | undefined;
}

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(join(dir, RUN_JSON), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
}

export async function readManifest(dir: string): Promise<RunManifest> {
  const path = join(dir, RUN_JSON);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'missing: not an rxnn run folder (or one started before run.json existed)' : `cannot read (${error.code})`}`);
  });
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(text) as RunManifest;
  } catch {
    throw new InputError(`${path}: not valid JSON`);
  }
  if (manifest.format !== 1 || typeof manifest.args !== 'object' || typeof manifest.settings !== 'object') {
    throw new InputError(`${path}: not an rxnn run manifest (format ${String(manifest.format)})`);
  }
  return manifest;
}
