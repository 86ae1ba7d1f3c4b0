import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { EPOCH_TABLE, parseMetricRows, type Cells, STEP_TABLE, type EpochRow, type MetricTable, type StepRow } from '../core/metric-rows.js';
import { InputError } from '../core/errors.js';

export type { EpochRow, StepRow } from '../core/metric-rows.js';

/** The metrics a run folder's CSVs hold. */
export interface RunMetrics {
  readonly dir: string;
  readonly epochs: readonly EpochRow[];
  readonly steps: readonly StepRow[];
}

/** Reads DIR/epochs.csv and DIR/steps.csv; a missing or malformed file is an InputError naming it. */
export async function readRunMetrics(dir: string): Promise<RunMetrics> {
  const [epochs, steps] = await Promise.all([readEpochRows(dir), readMetricFile(dir, STEP_TABLE)]);
  return { dir, epochs, steps };
}

/** DIR/epochs.csv alone (steps.csv can be long and is not always needed). */
export function readEpochRows(dir: string): Promise<EpochRow[]> {
  return readMetricFile(dir, EPOCH_TABLE);
}

async function readMetricFile<C extends string, O extends C>(dir: string, table: MetricTable<never, C, O>): Promise<Readonly<Cells<C, O>>[]> {
  const path = join(dir, table.file);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'missing: not an rxnn run folder' : `cannot read (${error.code ?? error.message})`}`);
  });
  return parseMetricRows(table, text, path);
}

/** Names for runs in a legend: their folder names, or the paths as given when two folders share a name. */
export function runNames(dirs: readonly string[]): string[] {
  const names = dirs.map((dir) => basename(resolve(dir)));
  return names.map((name, i) => (names.indexOf(name) === names.lastIndexOf(name) ? name : dirs[i]!));
}
