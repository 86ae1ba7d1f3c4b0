import { stringify } from 'csv-stringify/sync';
import { differingSettings, type RunSummary } from '../report/run-summaries.js';
import { aggregateOverSeeds, hasSeedRepeats, type MeanStd, type SeedGroup } from '../report/seed-aggregate.js';
import { alignedTable, kebab, runsTable } from './runs-table.js';

export const SWEEP_SORT_METRICS = ['test_acc', 'best_test_acc', 'train_acc', 'val_acc', 'best_val_acc'] as const;
export type SweepSortMetric = (typeof SWEEP_SORT_METRICS)[number];

const FIELD = { test_acc: 'testAcc', best_test_acc: 'bestTestAcc', train_acc: 'trainAcc', val_acc: 'valAcc', best_val_acc: 'bestValAcc' } as const;

/** The trials as `rxnn runs` shows runs (the same table), best first by `metric`. */
export function trialsTable(summaries: readonly RunSummary[], metric: SweepSortMetric, csv: boolean, width?: number): string {
  const sorted = [...summaries].sort((a, b) => descending(a[FIELD[metric]], b[FIELD[metric]]) || (a.run < b.run ? -1 : 1));
  return runsTable(sorted, { label: 'trial', csv, width });
}

/**
 * One row per setting (the runs that differ only in seed), best first by
 * the mean of `metric` (in the runs' order when not given): each accuracy
 * as mean ± sample standard deviation, the validation ones when the runs
 * have a validation set. In CSV, mean and std are separate columns.
 */
export function seedsTable(summaries: readonly RunSummary[], metric: SweepSortMetric | undefined, csv: boolean): string {
  const groups = aggregateOverSeeds(summaries);
  const settings = differingSettings(summaries).filter((key) => key !== 'seed');
  const sorted = metric === undefined ? groups : [...groups].sort((a, b) => descending(a[FIELD[metric]]?.mean, b[FIELD[metric]]?.mean));
  const validation = groups.some((g) => g.valAcc !== undefined);
  const metrics: [string, (g: SeedGroup) => MeanStd | undefined][] = [
    ['train_acc', (g) => g.trainAcc],
    ...(validation ? [['val_acc', (g: SeedGroup) => g.valAcc] as [string, (g: SeedGroup) => MeanStd | undefined]] : []),
    ['test_acc', (g) => g.testAcc],
    ...(validation ? [['best_val_acc', (g: SeedGroup) => g.bestValAcc] as [string, (g: SeedGroup) => MeanStd | undefined]] : []),
    ['best_test_acc', (g) => g.bestTestAcc],
  ];
  if (csv) {
    const header = [...settings.map(kebab), 'runs', 'seeds', ...metrics.flatMap(([name]) => [`${name}_mean`, `${name}_std`])];
    const rows = sorted.map((g) => [
      ...settings.map((key) => g.settings[key] ?? ''), String(g.runs.length), g.seeds.join(' '),
      ...metrics.flatMap(([, of]) => [String(of(g)?.mean ?? ''), String(of(g)?.std ?? '')]),
    ]);
    return stringify([header, ...rows]);
  }
  const header = [...settings.map(kebab), 'runs', 'seeds', ...metrics.map(([name]) => name)];
  const rows = sorted.map((g) => [...settings.map((key) => g.settings[key] ?? ''), String(g.runs.length), g.seeds.join(' '), ...metrics.map(([, of]) => plusMinus(of(g)))]);
  return alignedTable([header, ...rows]);
}

/** `table`, then the table over seeds when some setting was run with more than one seed (not in CSV). */
export function withSeedsTable(table: string, summaries: readonly RunSummary[], metric: SweepSortMetric | undefined, csv: boolean): string {
  if (csv || !hasSeedRepeats(aggregateOverSeeds(summaries))) return table;
  return `${table}\nover seeds (mean ± std):\n${seedsTable(summaries, metric, false)}`;
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
