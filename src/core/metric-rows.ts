import { InputError } from './errors.js';

/**
 * The one definition of a run folder's metric files, epochs.csv and
 * steps.csv: their columns in order, the figure each column holds, and how
 * values are written (JavaScript's shortest round-trip decimal, String(x),
 * which Number() reads back exactly) and read (by header, never by index).
 * The writers, the resume logic, the reports and the tests all derive from
 * these tables; adding a column is one line here (and the figure it reads).
 */

/** What a finished epoch reports (the model's EpochReport has these fields). */
export interface EpochFigures {
  readonly epoch: number;
  readonly iteration: number;
  /** Mean of the epoch's step losses. */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly learningRate: number;
  /** Wall time since the run started. */
  readonly seconds: number;
}

/** What a training step reports (the model's StepResult has these fields). */
export interface StepFigures {
  readonly epoch: number;
  readonly iteration: number;
  readonly loss: number;
}

export interface MetricTable<Figures, Column extends string> {
  /** The file's name in a run folder. */
  readonly file: string;
  /** The header, in order. */
  readonly columns: readonly Column[];
  /** The row an item's figures make, as numbers. */
  readonly row: (figures: Figures) => Record<Column, number>;
}

/** A table's row type: `MetricRow<typeof EPOCH_TABLE>`. */
export type MetricRow<T> = T extends MetricTable<never, infer C> ? Readonly<Record<C, number>> : never;

/** Defines a metric file: `metricTable<Figures>()(file, { column: (figures) => value, ... })`, columns in the order given. */
export function metricTable<Figures>() {
  return <const Column extends string>(file: string, of: { readonly [C in Column]: (figures: Figures) => number }): MetricTable<Figures, Column> => {
    const columns = Object.keys(of) as Column[];
    return {
      file,
      columns,
      row: (figures) => Object.fromEntries(columns.map((column) => [column, of[column](figures)])) as Record<Column, number>,
    };
  };
}

/** epochs.csv: one row per finished epoch. */
export const EPOCH_TABLE = metricTable<EpochFigures>()('epochs.csv', {
  epoch: (e) => e.epoch,
  iteration: (e) => e.iteration,
  train_loss: (e) => e.trainLoss,
  train_acc: (e) => e.trainAccuracy,
  test_loss: (e) => e.testLoss,
  test_acc: (e) => e.testAccuracy,
  lr: (e) => e.learningRate,
  seconds: (e) => e.seconds,
});

/** steps.csv: one row per training step. */
export const STEP_TABLE = metricTable<StepFigures>()('steps.csv', {
  epoch: (s) => s.epoch,
  iteration: (s) => s.iteration,
  loss: (s) => s.loss,
});

export type EpochRow = MetricRow<typeof EPOCH_TABLE>;
export type StepRow = MetricRow<typeof STEP_TABLE>;
export type EpochColumn = keyof EpochRow;

/** The epoch's metrics as in epochs.csv, kept with the checkpoint taken at its end and in run.json's `final`. */
export type EpochMetrics = Pick<EpochRow, 'train_loss' | 'train_acc' | 'test_loss' | 'test_acc'>;

/** The EpochMetrics of an epoch's figures. */
export function epochMetrics(figures: EpochFigures): EpochMetrics {
  const { train_loss, train_acc, test_loss, test_acc } = EPOCH_TABLE.row(figures);
  return { train_loss, train_acc, test_loss, test_acc };
}

export const EPOCHS_CSV = EPOCH_TABLE.file;
export const STEPS_CSV = STEP_TABLE.file;
export const EPOCH_COLUMNS = EPOCH_TABLE.columns;
export const STEP_COLUMNS = STEP_TABLE.columns;

/** How a value is written in a metric file. */
export function formatMetric(value: number): string {
  return String(value);
}

/** A row's cells as written, in the table's column order. */
export function formatMetricRow<C extends string>(table: MetricTable<never, C>, row: Readonly<Record<C, number>>): Record<C, string> {
  return Object.fromEntries(table.columns.map((column) => [column, formatMetric(row[column])])) as Record<C, string>;
}

/**
 * The rows of a metric file's text, read by its header: every column of the
 * table must be there (others are ignored) and hold a number. Errors are
 * InputErrors naming `path`, the line and the column.
 */
export function parseMetricRows<C extends string>(table: MetricTable<never, C>, text: string, path: string): Readonly<Record<C, number>>[] {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const index = table.columns.map((column) => header.indexOf(column));
  const missing = table.columns.filter((_, i) => index[i]! < 0);
  if (missing.length > 0) throw new InputError(`${path}: no column ${missing.join(', ')} in its header`);
  return lines.slice(1).map((line, row) => {
    const cells = line.split(',');
    const entry = {} as Record<C, number>;
    table.columns.forEach((column, i) => {
      const cell = cells[index[i]!];
      const value = Number(cell);
      if (cell === undefined || cell === '' || Number.isNaN(value)) throw new InputError(`${path}: line ${row + 2}: ${column} is not a number`);
      entry[column] = value;
    });
    return entry;
  });
}
