import { stringify } from 'csv-stringify/sync';
import { differingSettings, type RunSummary } from '../report/run-summaries.js';

export interface RunsTableOptions {
  /** The first column's name: `run` (rxnn runs) or `trial` (rxnn sweep). */
  readonly label: string;
  /** CSV with exact numbers, for scripts; otherwise an aligned table. */
  readonly csv: boolean;
  /** On a terminal, its width: columns are left out until the table fits (fitColumns). */
  readonly width?: number | undefined;
}

/**
 * The one table of runs `rxnn runs` and `rxnn sweep` print, in the given
 * order: the settings that differ (in their flags' form), final accuracies
 * (validation beside train and test when a run has a validation set), the
 * best epoch's, the duration and status.
 */
export function runsTable(summaries: readonly RunSummary[], options: RunsTableOptions): string {
  const settings = differingSettings(summaries);
  const validation = summaries.some((s) => s.valAcc !== undefined);
  const number = (value: number | undefined, digits: number): string => (value === undefined ? '' : options.csv ? String(value) : value.toFixed(digits));
  const header = [
    options.label, ...settings.map(kebab), 'epochs', 'train_acc', ...(validation ? ['val_acc'] : []), 'test_acc',
    ...(validation ? ['best_val_acc'] : []), 'best_test_acc', 'best_epoch', 'seconds', 'status',
  ];
  const rows = summaries.map((s) => [
    s.run, ...settings.map((key) => s.settings[key] ?? ''), String(s.epochs), number(s.trainAcc, 4), ...(validation ? [number(s.valAcc, 4)] : []),
    number(s.testAcc, 4), ...(validation ? [number(s.bestValAcc, 4)] : []), number(s.bestTestAcc, 4),
    s.bestEpoch === undefined ? '' : String(s.bestEpoch), number(s.seconds, 1), s.status,
  ]);
  return options.csv ? stringify([header, ...rows]) : alignedTable(fitColumns([header, ...rows], options.width));
}

/**
 * On a terminal, columns are left out until the table fits: first best_epoch,
 * train_acc, seconds, epochs, best_test_acc, best_val_acc, then the settings from the last;
 * the first column, val_acc, test_acc and status stay.
 */
export function fitColumns(rows: readonly string[][], width: number | undefined): string[][] {
  if (width === undefined) return rows.map((r) => [...r]);
  const header = rows[0]!;
  const order = ['best_epoch', 'train_acc', 'seconds', 'epochs', 'best_test_acc', 'best_val_acc'];
  const settings = header.slice(1, header.indexOf('epochs')).reverse();
  let kept = header.map((_, i) => i);
  const tableWidth = (): number => kept.reduce((sum, c) => sum + Math.max(...rows.map((r) => r[c]!.length)), 0) + 2 * (kept.length - 1);
  for (const name of [...order, ...settings]) {
    if (tableWidth() <= width) break;
    kept = kept.filter((c) => header[c] !== name);
  }
  return rows.map((r) => kept.map((c) => r[c]!));
}

/** Rows as left-aligned columns two spaces apart, one line each. */
export function alignedTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  return rows.map((r) => r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n').join('');
}

/** A setting's name as its flag: batchSize -> batch-size. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
