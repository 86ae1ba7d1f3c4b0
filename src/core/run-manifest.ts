import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.js';
import { errorCode, fileError } from './file-errors.js';
import { parseJsonWith } from './schema-check.js';
import type { EpochMetrics } from './metric-rows.js';
import { nestSettings } from './settings-record.js';

/** A run folder's record of the run (see RunManifest). */
export const RUN_JSON = 'run.json';

export const RUN_STATUSES = ['running', 'completed', 'interrupted', 'diverged', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunInput {
  /** Absolute path or URL. */
  readonly source: string;
  readonly sha256: string | undefined;
}

/** DIR/run.json: what a run was asked to do, with what, and how it ended. */
export interface RunManifest<Settings> {
  readonly format: 1;
  /** The command line, as typed (without `node` and the script). */
  readonly command: readonly string[];
  /** The parsed flags the run was started with; `--resume` starts from these (the command line checks them). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', RunInput>>;
  /** Every effective setting, in TrainSettings' groups (run.json of rxnn 0.1 held them flat: readManifest moves them into their groups). */
  readonly settings: Settings;
  readonly rxnn: { readonly version: string; readonly commit?: string | undefined };
  readonly node: string;
  readonly started: string;
  readonly resumes: readonly { readonly at: string; readonly from?: string | undefined; readonly command: readonly string[] }[];
  readonly status: RunStatus;
  readonly finished?: string | undefined;
  /** The last finished epoch's metrics (null where a number was not known). */
  readonly final?: (EpochMetrics & { readonly epoch: number; readonly iteration: number; readonly seconds: number | null }) | undefined;
  /** Why the run stopped, when it did not complete. */
  readonly message?: string | undefined;
}

/** run.json as read back: its settings are a record, for people and reports; a resumed run works them out again from `args`. */
export type StoredRunManifest = RunManifest<Readonly<Record<string, unknown>>>;

const text = z.string();
const input = z.strictObject({ source: text.min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest (64 hex digits)').optional() });
const metric = z.number().nullable();

/** run.json as rxnn writes it: every field checked, none trusted. */
const manifestSchema = z.strictObject({
  format: z.literal(1),
  command: z.array(text),
  args: z.record(text, z.unknown()),
  inputs: z.strictObject({ trainImages: input, trainLabels: input, testImages: input, testLabels: input }),
  settings: z.record(text, z.unknown()),
  rxnn: z.strictObject({ version: text, commit: text.optional() }),
  node: text,
  started: text,
  resumes: z.array(z.strictObject({ at: text, from: text.optional(), command: z.array(text) })),
  status: z.enum(RUN_STATUSES),
  finished: text.optional(),
  final: z
    .strictObject({ epoch: z.int().min(0), iteration: z.int().min(0), train_loss: metric, train_acc: metric, test_loss: metric, test_acc: metric, val_loss: metric.optional(), val_acc: metric.optional(), seconds: metric })
    .optional(),
  message: text.optional(),
});

/** Reads and checks DIR/run.json; anything rxnn would not have written is an InputError naming the file and the field. */
export async function readManifest(dir: string): Promise<StoredRunManifest> {
  const path = join(dir, RUN_JSON);
  const content = await readFile(path, 'utf8').catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') throw new InputError(`${path}: missing: not an rxnn run folder (or one started before run.json existed)`);
    throw fileError(path, 'read', error);
  });
  const manifest = parseJsonWith(manifestSchema, content, path);
  return { ...manifest, settings: nestSettings(manifest.settings) } as StoredRunManifest;
}
