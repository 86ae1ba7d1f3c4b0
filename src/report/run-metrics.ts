import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { EPOCHS_CSV, STEPS_CSV } from '../run/run-directory.js';

export interface EpochRow {
  readonly epoch: number;
  readonly iteration: number;
  readonly train_loss: number;
  readonly train_acc: number;
  readonly test_loss: number;
  readonly test_acc: number;
  readonly lr: number;
  readonly seconds: number;
}

export interface StepRow {
  readonly epoch: number;
  readonly iteration: number;
  readonly loss: number;
}

/** The metrics a run folder's CSVs hold. */
export interface RunMetrics {
  readonly dir: string;
  readonly epochs: readonly EpochRow[];
  readonly steps: readonly StepRow[];
}

/** Reads DIR/epochs.csv and DIR/steps.csv; a missing or malformed file is an InputError naming it. */
export async function readRunMetrics(dir: string): Promise<RunMetrics> {
  const [epochs, steps] = await Promise.all([readEpochRows(dir), readNumericCsv<StepRow>(join(dir, STEPS_CSV), ['epoch', 'iteration', 'loss'])]);
  return { dir, epochs, steps };
}

/** DIR/epochs.csv alone (steps.csv can be long and is not always needed). */
export function readEpochRows(dir: string): Promise<EpochRow[]> {
  return readNumericCsv<EpochRow>(join(dir, EPOCHS_CSV), ['epoch', 'iteration', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'lr', 'seconds']);
}

async function readNumericCsv<T>(path: string, columns: readonly string[]): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'missing: not an rxnn run folder' : `cannot read (${error.code ?? error.message})`}`);
  });
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const index = columns.map((column) => header.indexOf(column));
  const missing = columns.filter((_, i) => index[i]! < 0);
  if (missing.length > 0) throw new InputError(`${path}: no column ${missing.join(', ')} in its header`);
  return lines.slice(1).map((line, row) => {
    const cells = line.split(',');
    const entry: Record<string, number> = {};
    columns.forEach((column, i) => {
      const value = Number(cells[index[i]!]);
      if (cells[index[i]!] === undefined || cells[index[i]!] === '' || Number.isNaN(value)) {
        throw new InputError(`${path}: line ${row + 2}: ${column} is not a number`);
      }
      entry[column] = value;
    });
    return entry as T;
  });
}

/** Names for runs in a legend: their folder names, or the paths as given when two folders share a name. */
export function runNames(dirs: readonly string[]): string[] {
  const names = dirs.map((dir) => basename(resolve(dir)));
  return names.map((name, i) => (names.indexOf(name) === names.lastIndexOf(name) ? name : dirs[i]!));
}
