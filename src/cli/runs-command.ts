import { stringify } from 'csv-stringify/sync';
import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { differingSettings, summarizeRuns, type RunSummary } from '../report/run-summaries.js';
import { parsePath } from './parse-flags.js';

export interface RunsArgs {
  dir: string;
  csv: boolean;
  json: boolean;
}

export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs [dir]',
  describe: 'a table of the run folders under DIR: the settings that differ, final and best accuracy, duration, status',
  builder: (y) =>
    y
      .positional('dir', { describe: 'the folder holding run folders', type: 'string', default: 'runs' })
      .coerce('dir', parsePath('dir'))
      .option('csv', { type: 'boolean', group: 'Options:', default: false, describe: 'print CSV for scripts instead of an aligned table' })
      .option('json', { type: 'boolean', group: 'Options:', default: false, describe: 'print one JSON array for scripts instead of an aligned table' })
      .example('$0 runs', 'the runs under ./runs, newest first')
      .example('$0 runs experiments --csv', 'the runs under ./experiments, as CSV') as unknown as Argv<RunsArgs>,
  handler: async (args) => {
    const summaries = await summarizeRuns(args.dir);
    if (args.json) {
      await writeOut(`${JSON.stringify(summaries.map(jsonOf), null, 2)}\n`);
      return;
    }
    const settings = differingSettings(summaries);
    const header = ['run', ...settings.map(kebab), 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'best_epoch', 'seconds', 'status'];
    const rows = summaries.map((s) => row(s, settings, args.csv));
    if (args.csv) {
      await writeOut(stringify([header, ...rows]));
      return;
    }
    await writeOut(table(fitColumns([header, ...rows], process.stdout.isTTY === true ? (process.stdout.columns ?? 80) - 1 : undefined)));
  },
};

function row(s: RunSummary, settings: readonly string[], exact: boolean): string[] {
  const number = (value: number | undefined, digits: number): string =>
    value === undefined ? '' : exact ? String(value) : value.toFixed(digits);
  return [
    s.run,
    ...settings.map((key) => s.settings[key] ?? ''),
    String(s.epochs),
    number(s.trainAcc, 4),
    number(s.testAcc, 4),
    number(s.bestTestAcc, 4),
    s.bestEpoch === undefined ? '' : String(s.bestEpoch),
    number(s.seconds, 1),
    s.status,
  ];
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function jsonOf(s: RunSummary): Record<string, unknown> {
  const { run, settings, epochs, trainAcc, testAcc, bestTestAcc, bestEpoch, seconds, status, started } = s;
  return { run, started: started ?? null, status, settings, epochs, train_acc: trainAcc ?? null, test_acc: testAcc ?? null, best_test_acc: bestTestAcc ?? null, best_epoch: bestEpoch ?? null, seconds: seconds ?? null };
}

/**
 * On a terminal, columns are left out until the table fits: first best_epoch,
 * train_acc, seconds, epochs, best_test_acc, then the settings from the last;
 * run, test_acc and status stay.
 */
export function fitColumns(rows: readonly string[][], width: number | undefined): string[][] {
  if (width === undefined) return rows.map((r) => [...r]);
  const header = rows[0]!;
  const order = ['best_epoch', 'train_acc', 'seconds', 'epochs', 'best_test_acc'];
  const settings = header.slice(1, header.indexOf('epochs')).reverse();
  let kept = header.map((_, i) => i);
  const tableWidth = (): number => kept.reduce((sum, c) => sum + Math.max(...rows.map((r) => r[c]!.length)), 0) + 2 * (kept.length - 1);
  for (const name of [...order, ...settings]) {
    if (tableWidth() <= width) break;
    kept = kept.filter((c) => header[c] !== name);
  }
  return rows.map((r) => kept.map((c) => r[c]!));
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  return rows.map((r) => r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n').join('');
}
