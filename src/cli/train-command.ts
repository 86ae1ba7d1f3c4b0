import type { Argv, CommandModule } from 'yargs';
import type { RunLock } from '../run/run-lock.js';
import { trainBackendOption } from './backend-option.js';
import { modelOptions, optimizerOptions } from './model-options.js';
import { sourceOptions } from './source-options.js';
import { stopOnSignals } from './stop-signals.js';
import { continueFolder, openResumedRun, startFolder, type ResumedRun } from './train-folder.js';
import { dataOptions, L, runOptions, trainingOptions, type TrainArgs } from './train-options.js';
import { prepareRun, type PreparedRun } from './train-prepare.js';
import { trainInFolder } from './train-session.js';
import { effectiveConfig } from './train-config.js';
import { requestedSettings } from './train-record.js';
import { writeOut } from './output.js';

export type { TrainArgs } from './train-options.js';

export function trainCommand(rawArgs: readonly string[]): CommandModule<object, TrainArgs> {
  return {
    command: 'train',
    describe: "train a network; with no flags, the lesson's 784-50-10 experiment on the bundled MNIST",
    builder: (y) =>
      sourceOptions(trainBackendOption(runOptions(trainingOptions(optimizerOptions(modelOptions(dataOptions(y), L), L)))))
        .example('$0 train', "the lesson: 784-50-10, SGD lr 0.1, 17 epochs, in runs/<time>")
        .example('$0 train --preset best --out runs/best', 'the best preset, in runs/best')
        .example('$0 train --resume runs/best --epochs 30', 'go on with a stopped or finished run') as unknown as Argv<TrainArgs>,
    handler: (args) => train(args, rawArgs),
  };
}

/**
 * `rxnn train`: a resumed run's folder is locked first; then settings and
 * data are checked, and only then is a new run's folder created (and
 * locked), so a run that cannot start leaves nothing behind.
 */
async function train(typed: TrainArgs, rawArgs: readonly string[]): Promise<void> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const command = ['rxnn', ...rawArgs];
  const stop = stopOnSignals(process.stderr, 'stopping (a download in progress is abandoned)');
  let lock: RunLock | undefined;
  let prepared: PreparedRun | undefined;
  try {
    const resumed: ResumedRun | undefined = typed.resume === undefined ? undefined : await openResumedRun(typed, rawArgs);
    lock = resumed?.lock;
    const args = resumed?.args ?? typed;
    if (typed.printConfig === true) return await printConfig(args, resumed, rawArgs);
    prepared = await prepareRun(args, resumed, stop.signal, typed.quiet === true);
    const folder = resumed === undefined ? await startFolder(args, prepared, command, () => defaultRunFolder(new Date())) : await continueFolder(resumed, prepared, command);
    lock = folder.lock;
    await trainInFolder(args, prepared, folder, stop, seconds);
  } finally {
    prepared?.kernels.close();
    lock?.release();
    stop.dispose();
  }
}

/** `--print-config`: the settings checked, then printed as a config file; nothing is trained or written. */
async function printConfig(args: TrainArgs, resumed: ResumedRun | undefined, rawArgs: readonly string[]): Promise<void> {
  const settings = (resumed?.checking ?? ((work) => work()))(() => requestedSettings(args));
  // A resumed run's flags are those it was started with, as recorded.
  const commandLine = resumed === undefined ? rawArgs : resumed.manifest.command.slice(1);
  const booleans = new Set(Object.entries(args).flatMap(([key, value]) => (typeof value === 'boolean' ? [key] : [])));
  await writeOut(`${JSON.stringify(effectiveConfig(settings, commandLine, booleans), null, 2)}\n`);
}

/** runs/2026-11-28T03-04-05Z: sortable, and valid as a file name everywhere. */
export function defaultRunFolder(now: Date): string {
  return `runs/${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`;
}
