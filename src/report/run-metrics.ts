import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { EPOCH_TABLE, parseMetricRows, type Cells, STEP_TABLE, type EpochRow, type MetricTable, type StepRow } from '../core/metric-rows.js';
import { InputError } from '../core/errors.js';
import { flatSettings } from '../core/settings-record.js';
import { readManifest, RUN_JSON } from '../core/run-manifest.js';

export type { EpochRow, StepRow } from '../core/metric-rows.js';

/** The validation figures epochs.csv holds for runs with a validation set (its val_ columns; empty cells, or no columns in older runs, without one). */
export const VALIDATION_COLUMNS = ['val_loss', 'val_acc'] as const;
export type ValidationColumn = (typeof VALIDATION_COLUMNS)[number];

/** An epoch row, with the validation figures where the run has them. */
export type PlottedEpochRow = EpochRow & Partial<Readonly<Record<ValidationColumn, number>>>;

/** The metrics a run folder's CSVs hold. */
export interface RunMetrics {
  readonly dir: string;
  readonly epochs: readonly PlottedEpochRow[];
  readonly steps: readonly StepRow[];
}

/** Reads DIR/epochs.csv (with its validation columns, if any) and DIR/steps.csv; a missing or malformed file is an InputError naming it. */
export async function readRunMetrics(dir: string): Promise<RunMetrics> {
  const [epochs, steps] = await Promise.all([readPlottedEpochRows(dir), readMetricFile(dir, STEP_TABLE)]);
  return { dir, epochs, steps };
}

async function readPlottedEpochRows(dir: string): Promise<PlottedEpochRow[]> {
  const path = join(dir, EPOCH_TABLE.file);
  const text = await readMetricText(path);
  return withValidation(parseMetricRows(EPOCH_TABLE, text, path), text, path);
}

/** The rows, with the values of the validation columns the file has (an empty cell: no value). */
export function withValidation(rows: readonly EpochRow[], text: string, path: string): PlottedEpochRow[] {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const present = VALIDATION_COLUMNS.map((column) => [column, header.indexOf(column)] as const).filter(([, index]) => index >= 0);
  return rows.map((row, r) => {
    const cells = lines[r + 1]!.split(',');
    const extra: Partial<Record<ValidationColumn, number>> = {};
    for (const [column, index] of present) {
      const cell = cells[index] ?? '';
      if (cell === '') continue;
      const value = Number(cell);
      if (Number.isNaN(value)) throw new InputError(`${path}: line ${r + 2}: ${column} is not a number`);
      extra[column] = value;
    }
    return { ...row, ...extra };
  });
}

/** DIR/epochs.csv alone (steps.csv can be long and is not always needed). */
export function readEpochRows(dir: string): Promise<EpochRow[]> {
  return readMetricFile(dir, EPOCH_TABLE);
}

async function readMetricFile<C extends string, O extends C>(dir: string, table: MetricTable<never, C, O>): Promise<Readonly<Cells<C, O>>[]> {
  const path = join(dir, table.file);
  return parseMetricRows(table, await readMetricText(path), path);
}

function readMetricText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'missing: not an rxnn run folder' : `cannot read (${error.code ?? error.message})`}`);
  });
}

/** The batch size DIR/run.json records (for plotting against samples seen); an InputError naming the file without it. */
export async function readBatchSize(dir: string): Promise<number> {
  const manifest = await readManifest(dir);
  const batchSize = flatSettings(manifest.settings)['batchSize'];
  if (!(typeof batchSize === 'number' && Number.isSafeInteger(batchSize) && batchSize > 0)) {
    throw new InputError(`${join(dir, RUN_JSON)}: settings.data.batchSize: expected a positive integer (--x samples needs the batch size)`);
  }
  return batchSize;
}

/** Names for runs in a legend: their folder names, or the paths as given when two folders share a name. */
export function runNames(dirs: readonly string[]): string[] {
  const names = dirs.map((dir) => basename(resolve(dir)));
  return names.map((name, i) => (names.indexOf(name) === names.lastIndexOf(name) ? name : dirs[i]!));
}
