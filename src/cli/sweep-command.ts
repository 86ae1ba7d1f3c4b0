import { basename, extname, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../core/errors.js';
import { summarizeRuns } from '../report/run-summaries.js';
import { FINISHED_STATUSES, recordSweep, trialFolder, trialStatus } from '../sweep/sweep-folder.js';
import { readSweepSpec } from '../sweep/sweep-spec.js';
import { sweepTrials, trialFlags, type Trial } from '../sweep/sweep-trials.js';
import { writeOut } from './output.js';
import { parseChoice, parseInteger, parsePath } from './parse-flags.js';
import { RUN_FLAGS } from './resume-args.js';
import { runLocalSweep, trainArgs } from './sweep-local.js';
import { seedsTable, SWEEP_SORT_METRICS, trialsTable, withSeedsTable, type SweepSortMetric } from './sweep-table.js';
import { CommandFailed, UsageError } from './usage-error.js';

export interface SweepArgs {
  file: string;
  out?: string;
  parallel: number;
  list: boolean;
  trial?: number;
  sort: SweepSortMetric;
  csv: boolean;
  seeds: boolean;
  quiet: boolean;
}

/** Flags of rxnn train a sweep may set: those run.json records, and those about fetching inputs, threads and charts. */
const SWEEP_FLAGS = new Set([...RUN_FLAGS, 'threads', 'plot', 'cacheDir', 'offline', 'sha256', 'timeout', 'retries'].map(kebab));
/** The sweep decides where each trial runs, and whether it resumes. */
const SWEEP_OWNED = new Set(['out', 'resume']);

/** Parses and runs `rxnn train`'s arguments (the whole command line's parser, handed in by it). */
export type TrainParser = (args: readonly string[]) => { parseAsync(): Promise<unknown> };

/** `rxnn sweep`; `trainParser` runs a trial in this process for --trial. */
export const sweepCommand = (trainParser: TrainParser): CommandModule<object, SweepArgs> => ({
  command: 'sweep <file>',
  describe: 'run a study of several settings (a grid and/or random choices over rxnn train flags), each trial in its own run folder; resumable',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'the sweep file, YAML or JSON: base (flags of rxnn train), grid, random (seed, count, choices), out', coerce: parsePath('file') })
      .option('out', { type: 'string', describe: 'the sweep folder, holding sweep.json and trial-NNNN/ run folders (default: the file\'s out, else sweeps/<file name>)', coerce: parsePath('out') })
      .option('parallel', { describe: 'trials run at the same time, each a separate rxnn train process', default: 1, coerce: parsePositive('parallel') })
      .option('list', { type: 'boolean', default: false, describe: 'print the number of trials, then one line per trial (index and flags), and run nothing' })
      .option('trial', { describe: 'run trial I alone, in this process (for Slurm arrays, Kubernetes Indexed Jobs, GNU parallel)', coerce: parseInteger('trial') })
      .option('sort', { describe: `the metric the table is sorted by, best first: ${SWEEP_SORT_METRICS.join(', ')}`, default: 'test_acc' as const, coerce: parseChoice('sort', SWEEP_SORT_METRICS) })
      .option('csv', { type: 'boolean', default: false, describe: 'print the table as CSV for scripts, numbers unrounded' })
      .option('seeds', { type: 'boolean', default: false, describe: 'print only the table over seeds: one row per setting, mean ± std of the trials that differ only in --seed' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines on stderr' })
      .example('$0 sweep examples/lr-hidden.yaml --list', 'the number of trials, then each trial\'s index and flags')
      .example('$0 sweep examples/lr-hidden.yaml --parallel 2', 'run the trials two at a time (again: resume), then print the table')
      .example('$0 sweep examples/lr-hidden.yaml --trial 3', 'one trial alone, as a cluster job does') as unknown as Argv<SweepArgs>,
  handler: (args) => sweep(args, trainParser),
});

async function sweep(args: SweepArgs, trainParser: TrainParser): Promise<void> {
  if (args.list && args.trial !== undefined) throw new UsageError('--list and --trial: give one of them');
  const spec = await readSweepSpec(args.file);
  const trials = sweepTrials(spec);
  checkTrialFlags(trials, args.file);
  if (args.list) return writeOut(`${trials.length}\n${trials.map((t) => `${t.index}\t${trialFlags(t.settings).join(' ')}\n`).join('')}`);
  const dir = args.out ?? spec.out ?? join('sweeps', basename(args.file, extname(args.file)));
  if (args.trial !== undefined && !(args.trial >= 0 && args.trial < trials.length)) {
    throw new UsageError(`--trial: expected 0 to ${trials.length - 1} (the sweep has ${trials.length} trials), got ${args.trial}`);
  }
  await recordSweep(dir, trials);
  if (args.trial !== undefined) return runOneTrial(trials[args.trial]!, trialFolder(dir, args.trial, trials.length), trainParser);
  const failures = await runLocalSweep(trials, dir, args);
  await printTables(dir, args);
  if (failures.length > 0) {
    const first = failures[0]!;
    const bad = failures.every((f) => f.status === 2);
    throw new CommandFailed(`${failures.length} of ${trials.length} trials failed; trial ${first.trial.index}: ${first.message}`, bad ? 2 : 1);
  }
}

function checkTrialFlags(trials: readonly Trial[], file: string): void {
  for (const key of new Set(trials.flatMap((t) => Object.keys(t.settings)))) {
    if (SWEEP_OWNED.has(key)) throw new InputError(`${file}: ${key}: the sweep sets each trial's --${key}; leave it out (the sweep folder is --out of rxnn sweep)`);
    if (!SWEEP_FLAGS.has(key)) throw new InputError(`${file}: ${key}: not a flag of rxnn train a sweep can set`);
  }
}

/**
 * `--trial I`: the trial in this process, exactly as `rxnn train` would run
 * it (the same flags, so the same numbers as a local sweep's), its progress
 * on stderr and its result line on stdout; an interrupted trial is resumed.
 */
async function runOneTrial(trial: Trial, folder: string, trainParser: TrainParser): Promise<void> {
  const status = await trialStatus(folder);
  if (FINISHED_STATUSES.includes(status as never)) {
    process.stderr.write(`rxnn sweep: trial ${trial.index} already finished (${status}) in ${folder}\n`);
    return;
  }
  await trainParser(trainArgs(trial, folder, status)).parseAsync();
}

async function printTables(dir: string, args: SweepArgs): Promise<void> {
  const summaries = await summarizeRuns(dir);
  if (args.seeds) return writeOut(seedsTable(summaries, args.sort, args.csv));
  await writeOut(withSeedsTable(trialsTable(summaries, args.sort, args.csv), summaries, args.sort, args.csv));
}

function parsePositive(flag: string): (value: unknown) => number {
  const integer = parseInteger(flag);
  return (value) => {
    const number = integer(value);
    if (number < 1) throw new UsageError(`--${flag}: expected 1 or more, got ${number}`);
    return number;
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
