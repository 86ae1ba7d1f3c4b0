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
  /** Loss and accuracy on the validation set; undefined for a run without one. */
  readonly valLoss?: number | undefined;
  readonly valAccuracy?: number | undefined;
}

/** What a training step reports (the model's StepResult has these fields). */
export interface StepFigures {
  readonly epoch: number;
  readonly iteration: number;
  readonly loss: number;
}

/** A row of numbers by column; the `Optional` columns may be empty (undefined). */
export type Cells<Column extends string, Optional extends Column = never> = Record<Exclude<Column, Optional>, number> & Partial<Record<Optional, number>>;

export interface MetricTable<Figures, Column extends string, Optional extends Column = never> {
  /** The file's name in a run folder. */
  readonly file: string;
  /** The header, in order. */
  readonly columns: readonly Column[];
  /** Columns that may be empty in a row, and missing from the header of files written before they existed. */
  readonly optional: readonly Optional[];
  /** The row an item's figures make, as numbers (undefined: an empty cell of an optional column). */
  readonly row: (figures: Figures) => Cells<Column, Optional>;
}

/** A table's row type: `MetricRow<typeof EPOCH_TABLE>`. */
export type MetricRow<T> = T extends MetricTable<never, infer C, infer O> ? Readonly<Cells<C, O>> : never;

/**
 * Defines a metric file: `metricTable<Figures>()(file, { column: (figures) => value, ... })`, columns in the order given;
 * the columns named in `optional` may hold no value (a figure the run does not have, such as a validation loss without a validation set).
 */
export function metricTable<Figures>() {
  return <const Column extends string, const Optional extends Column = never>(
    file: string,
    of: { readonly [C in Column]: (figures: Figures) => C extends Optional ? number | undefined : number },
    optional: readonly Optional[] = [],
  ): MetricTable<Figures, Column, Optional> => {
    const columns = Object.keys(of) as Column[];
    return {
      file,
      columns,
      optional,
      row: (figures) => Object.fromEntries(columns.map((column) => [column, of[column](figures)])) as Cells<Column, Optional>,
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
  val_loss: (e) => e.valLoss,
  val_acc: (e) => e.valAccuracy,
}, ['val_loss', 'val_acc']);

/** steps.csv: one row per training step. */
export const STEP_TABLE = metricTable<StepFigures>()('steps.csv', {
  epoch: (s) => s.epoch,
  iteration: (s) => s.iteration,
  loss: (s) => s.loss,
});

export type EpochRow = MetricRow<typeof EPOCH_TABLE>;
export type StepRow = MetricRow<typeof STEP_TABLE>;
export type EpochColumn = keyof EpochRow;

/** The epoch's metrics as in epochs.csv, kept with the checkpoint taken at its end and in run.json's `final` (the validation ones only when the run has a validation set). */
export type EpochMetrics = Pick<EpochRow, 'train_loss' | 'train_acc' | 'test_loss' | 'test_acc' | 'val_loss' | 'val_acc'>;

/** The EpochMetrics of an epoch's figures. */
export function epochMetrics(figures: EpochFigures): EpochMetrics {
  const { train_loss, train_acc, test_loss, test_acc, val_loss, val_acc } = EPOCH_TABLE.row(figures);
  return val_loss === undefined && val_acc === undefined ? { train_loss, train_acc, test_loss, test_acc } : { train_loss, train_acc, test_loss, test_acc, val_loss, val_acc };
}

export const EPOCHS_CSV = EPOCH_TABLE.file;
export const STEPS_CSV = STEP_TABLE.file;
export const EPOCH_COLUMNS = EPOCH_TABLE.columns;
export const STEP_COLUMNS = STEP_TABLE.columns;

/** How a value is written in a metric file (no value: an empty cell). */
export function formatMetric(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** A row's cells as written, in the table's column order. */
export function formatMetricRow<C extends string, O extends C>(table: MetricTable<never, C, O>, row: Readonly<Cells<C, O>>): Record<C, string> {
  const cells = row as Readonly<Partial<Record<C, number>>>;
  return Object.fromEntries(table.columns.map((column) => [column, formatMetric(cells[column])])) as Record<C, string>;
}

/**
 * The rows of a metric file's text, read by its header: every column of the
 * table must be there (others are ignored) and hold a number, but for the
 * optional columns, which may be empty or (in files written before them)
 * missing: their value is then undefined. Errors are InputErrors naming
 * `path`, the line and the column.
 */
export function parseMetricRows<C extends string, O extends C = never>(table: MetricTable<never, C, O>, text: string, path: string): Readonly<Cells<C, O>>[] {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const optional = new Set<string>(table.optional);
  const index = table.columns.map((column) => header.indexOf(column));
  const missing = table.columns.filter((column, i) => index[i]! < 0 && !optional.has(column));
  if (missing.length > 0) throw new InputError(`${path}: no column ${missing.join(', ')} in its header`);
  return lines.slice(1).map((line, row) => {
    const cells = line.split(',');
    const entry: Partial<Record<C, number>> = {};
    table.columns.forEach((column, i) => {
      const cell = index[i]! < 0 ? undefined : cells[index[i]!];
      if (optional.has(column) && (cell === undefined || cell === '')) return;
      const value = Number(cell);
      if (cell === undefined || cell === '' || Number.isNaN(value)) throw new InputError(`${path}: line ${row + 2}: ${column} is not a number`);
      entry[column] = value;
    });
    return entry as Cells<C, O>;
  });
}
