import { stringify } from 'csv-stringify/sync';
import { differingSettings, type RunSummary } from '../report/run-summaries.js';
import { aggregateOverSeeds, type MeanStd, type SeedGroup } from '../report/seed-aggregate.js';

export const SWEEP_SORT_METRICS = ['test_acc', 'best_test_acc', 'train_acc'] as const;
export type SweepSortMetric = (typeof SWEEP_SORT_METRICS)[number];

const FIELD = { test_acc: 'testAcc', best_test_acc: 'bestTestAcc', train_acc: 'trainAcc' } as const;

/** The trials as `rxnn runs` shows runs (the settings that differ, final and best accuracy, status), best first by `metric`. */
export function trialsTable(summaries: readonly RunSummary[], metric: SweepSortMetric, csv: boolean): string {
  const settings = differingSettings(summaries);
  const sorted = [...summaries].sort((a, b) => descending(a[FIELD[metric]], b[FIELD[metric]]) || (a.run < b.run ? -1 : 1));
  const number = (value: number | undefined, digits: number): string => (value === undefined ? '' : csv ? String(value) : value.toFixed(digits));
  const header = ['trial', ...settings, 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'best_epoch', 'seconds', 'status'];
  const rows = sorted.map((s) => [
    s.run, ...settings.map((key) => s.settings[key] ?? ''), String(s.epochs), number(s.trainAcc, 4), number(s.testAcc, 4),
    number(s.bestTestAcc, 4), s.bestEpoch === undefined ? '' : String(s.bestEpoch), number(s.seconds, 1), s.status,
  ]);
  return csv ? stringify([header, ...rows]) : alignedTable([header, ...rows]);
}

/**
 * One row per setting (the trials that differ only in seed), best first by
 * the mean of `metric`: each accuracy as mean ± sample standard deviation.
 * In CSV, mean and std are separate columns.
 */
export function seedsTable(summaries: readonly RunSummary[], metric: SweepSortMetric, csv: boolean): string {
  const groups = aggregateOverSeeds(summaries);
  const settings = differingSettings(summaries).filter((key) => key !== 'seed');
  const sorted = [...groups].sort((a, b) => descending(a[FIELD[metric]]?.mean, b[FIELD[metric]]?.mean));
  const metrics: [string, (g: SeedGroup) => MeanStd | undefined][] = [['train_acc', (g) => g.trainAcc], ['test_acc', (g) => g.testAcc], ['best_test_acc', (g) => g.bestTestAcc]];
  if (csv) {
    const header = [...settings, 'runs', 'seeds', ...metrics.flatMap(([name]) => [`${name}_mean`, `${name}_std`])];
    const rows = sorted.map((g) => [
      ...settings.map((key) => g.settings[key] ?? ''), String(g.runs.length), g.seeds.join(' '),
      ...metrics.flatMap(([, of]) => [String(of(g)?.mean ?? ''), String(of(g)?.std ?? '')]),
    ]);
    return stringify([header, ...rows]);
  }
  const header = [...settings, 'runs', 'seeds', ...metrics.map(([name]) => name)];
  const rows = sorted.map((g) => [...settings.map((key) => g.settings[key] ?? ''), String(g.runs.length), g.seeds.join(' '), ...metrics.map(([, of]) => plusMinus(of(g)))]);
  return alignedTable([header, ...rows]);
}

function plusMinus(value: MeanStd | undefined): string {
  if (value === undefined) return '';
  return value.std === undefined ? value.mean.toFixed(4) : `${value.mean.toFixed(4)} ± ${value.std.toFixed(4)}`;
}

/** Larger first; unknown values last. */
function descending(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  return b - a;
}

function alignedTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  return rows.map((r) => r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n').join('');
}
