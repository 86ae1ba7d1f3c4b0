import { stringify } from 'csv-stringify/sync';
import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { differingSettings, summarizeRuns, type RunSummary } from '../report/run-summaries.js';
import { parsePath } from './parse-flags.js';

export interface RunsArgs {
  dir: string;
  csv: boolean;
}

export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs [dir]',
  describe: 'a table of the run folders under DIR: the settings that differ, final and best accuracy, duration, status',
  builder: (y) =>
    y
      .positional('dir', { describe: 'the folder holding run folders', type: 'string', default: 'runs' })
      .coerce('dir', parsePath('dir'))
      .option('csv', { type: 'boolean', group: 'Options:', default: false, describe: 'print CSV for scripts instead of an aligned table' })
      .example('$0 runs', 'the runs under ./runs')
      .example('$0 runs experiments --csv', 'the runs under ./experiments, as CSV') as unknown as Argv<RunsArgs>,
  handler: async (args) => {
    const summaries = await summarizeRuns(args.dir);
    const settings = differingSettings(summaries);
    const header = ['run', ...settings, 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'best_epoch', 'seconds', 'status'];
    const rows = summaries.map((s) => row(s, settings, args.csv));
    await writeOut(args.csv ? stringify([header, ...rows]) : table([header, ...rows]));
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

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  return rows.map((r) => r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n').join('');
}
