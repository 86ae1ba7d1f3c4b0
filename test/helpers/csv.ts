import { readFile } from 'node:fs/promises';
import { EPOCH_TABLE, parseMetricRows, STEP_TABLE, type EpochRow, type StepRow } from '../../src/core/metric-rows.js';

/** The rows of an epochs.csv's text, read by header through the one row schema. */
export const epochRows = (csv: string, path = 'epochs.csv'): EpochRow[] => parseMetricRows(EPOCH_TABLE, csv, path);

/** The rows of a steps.csv's text, read by header. */
export const stepRows = (csv: string, path = 'steps.csv'): StepRow[] => parseMetricRows(STEP_TABLE, csv, path);

/** DIR/epochs.csv's rows. */
export const readEpochsCsv = async (path: string): Promise<EpochRow[]> => epochRows(await readFile(path, 'utf8'), path);

/** A CSV text with the column named `column` (found by its header) taken out of every line. */
export function withoutColumn(csv: string, column: string): string {
  const lines = csv.split('\n');
  const index = lines[0]!.split(',').indexOf(column);
  if (index < 0) throw new Error(`no column ${column} in ${lines[0]}`);
  return lines.map((line) => line.split(',').filter((_, i) => i !== index).join(',')).join('\n');
}

/** epochs.csv without seconds: the only column allowed to differ between runs. */
export const withoutSeconds = (csv: string): string => withoutColumn(csv, 'seconds');
