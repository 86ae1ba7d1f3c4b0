import type { Argv, CommandModule } from 'yargs';
import { writeOut } from './output.js';
import { summarizeRuns, type RunSummary } from '../report/run-summaries.js';
import { runsTable } from './runs-table.js';
import { withSeedsTable } from './sweep-table.js';

export { fitColumns } from './runs-table.js';
import { parsePath } from './parse-flags.js';

export interface RunsArgs {
  dir: string;
  csv: boolean;
  json: boolean;
}

export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs [dir]',
  describe: 'a table of the run folders under DIR: the settings that differ, final and best accuracy (validation beside train and test), duration, status',
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
    const width = process.stdout.isTTY === true ? (process.stdout.columns ?? 80) - 1 : undefined;
    // a sweep folder (or any with runs that differ only in --seed): the table over seeds follows
    await writeOut(withSeedsTable(runsTable(summaries, { label: 'run', csv: args.csv, width }), summaries, undefined, args.csv));
  },
};

function jsonOf(s: RunSummary): Record<string, unknown> {
  const { run, settings, epochs, trainAcc, valAcc, testAcc, bestValAcc, bestTestAcc, bestEpoch, seconds, status, started } = s;
  return {
    run, started: started ?? null, status, settings, epochs, train_acc: trainAcc ?? null, val_acc: valAcc ?? null, test_acc: testAcc ?? null,
    best_val_acc: bestValAcc ?? null, best_test_acc: bestTestAcc ?? null, best_epoch: bestEpoch ?? null, seconds: seconds ?? null,
  };
}

