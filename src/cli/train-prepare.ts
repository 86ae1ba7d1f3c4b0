import { SettingError, throwIfStopped } from '../core/errors.js';
import { kernelsFor } from '../model/kernels/backends.js';
import type { Kernels } from '../model/kernels/kernels.js';
import type { ModelSpec } from '../model/model-spec.js';
import { AUGMENT_SETTINGS, checkRun } from '../run/check-datasets.js';
import { defaultBestMetric, runData, runRules } from '../run/run-data.js';
import type { BestMetric } from '../run/training-state.js';
import { normalizationFor } from '../run/input-normalization.js';
import type { RunManifest } from '../run/run-manifest.js';
import { PRESETS } from '../run/presets.js';
import type { TrainSettings } from '../run/settings.js';
import { loadDataset, type Dataset } from '../sources/dataset.js';
import { bundledMnist } from '../sources/mnist.js';
import { createDownloadProgress } from './download-progress.js';
import { absoluteSource, type Resumed } from './resume-args.js';
import { sourceOptionsFrom } from './source-options.js';
import { augmentRangesOf, DEFAULT_SHUFFLE_BUFFER, type TrainArgs } from './train-options.js';
import { requestedSettings } from './train-record.js';

/** A run's settings and data, every check made: what a run folder is created for. */
export interface PreparedRun {
  readonly settings: TrainSettings;
  readonly train: Dataset;
  readonly test: Dataset;
  /** A separate validation set (--validation-images); with --validation the run holds part of `train` out itself. */
  readonly validation: Dataset | undefined;
  /** The metric best.safetensors is chosen by (--save-best), its default worked out. */
  readonly saveBest: BestMetric | undefined;
  readonly inputs: RunManifest['inputs'];
  /** The kernels the run computes with (the caller closes them); the data is loaded where they read it in place. */
  readonly kernels: Kernels;
}

/**
 * Works out the settings, loads and checks the data, and checks the two
 * together (checkRun), all before anything is written: a run that cannot
 * start leaves no folder behind. Settings that came from a resumed run's
 * run.json are reported as its fields. Stops (Stopped) when `signal` is aborted.
 * The kernels are made first (an unavailable --simd fails before any data is
 * read), and closed again if the run cannot start.
 */
export async function prepareRun(args: TrainArgs, resumed: Resumed<TrainArgs> | undefined, signal: AbortSignal, quiet: boolean): Promise<PreparedRun> {
  const checking = resumed?.checking ?? (<R>(work: () => R): R => work());
  const requested = checking(() => requestedSettings(args));
  const bundled = bundledMnist();
  const files = {
    train: { images: args.trainImages ?? bundled.train.images, labels: args.trainLabels ?? bundled.train.labels },
    test: { images: args.testImages ?? bundled.test.images, labels: args.testLabels ?? bundled.test.labels },
  };
  const inputs = [files.train.images, files.train.labels, files.test.images, files.test.labels];
  const source = { ...sourceOptionsFrom(args, inputs, quiet ? () => undefined : createDownloadProgress(process.stderr)), signal };
  const kernels = kernelsFor(args.backend, { threads: args.threads, simd: args.simd });
  try {
    const loading = { classes: args.classes, stream: args.stream, memoryBudget: args.memoryBudget, source, allocate: kernels.allocateBytes };
    const validationFiles = args.validationImages === undefined || args.validationLabels === undefined ? undefined : { images: args.validationImages, labels: args.validationLabels };
    const [train, test, validation] = await Promise.all([
      loadDataset(files.train, loading),
      loadDataset(files.test, loading),
      validationFiles && loadDataset(validationFiles, loading),
    ]);
    throwIfStopped(signal, 'loading the data');
    // The classes are the training set's (or --classes): a test label outside them is refused, never a wider network.
    const classes = args.classes ?? train.classes;
    const shuffleBuffer = args.shuffleBuffer ?? (train.storage === 'stream' ? DEFAULT_SHUFFLE_BUFFER : undefined);
    const settings: TrainSettings = {
      ...requested,
      model: { ...requested.model, classes },
      data: { ...requested.data, shuffleBuffer, normalization: normalizationFor(train.elementType) },
    };
    const hasValidation = validation !== undefined || settings.data.validation !== undefined;
    const saveBest = args.saveBest === 'auto' ? defaultBestMetric(hasValidation) : args.saveBest;
    checking(() => {
      checkAgainstData(args, () => checkRun(train, test, settings));
      runData(train, validation, settings);
      runRules(settings, saveBest, hasValidation);
    });
    const input = (source: string, sha256: string | undefined) => ({ source: absoluteSource(source), sha256 });
    return {
      settings,
      train,
      test,
      validation,
      saveBest,
      inputs: {
        trainImages: input(files.train.images, train.digests?.images),
        trainLabels: input(files.train.labels, train.digests?.labels),
        testImages: input(files.test.images, test.digests?.images),
        testLabels: input(files.test.labels, test.digests?.labels),
      },
      kernels,
    };
  } catch (error) {
    kernels.close();
    throw error;
  }
}

/**
 * `work` (the checks of the settings against the data) with a problem of
 * the network or augmentation named after what was given: a --model
 * file's as --model, the preset's own network or augmentation as --preset
 * (not as --layers or --augment-shift, which were not typed); and a --model
 * file's `input`, when given, checked against the shape the data give.
 */
function checkAgainstData(args: TrainArgs, work: () => ModelSpec): void {
  const preset = PRESETS[args.preset];
  let spec: ModelSpec;
  try {
    spec = work();
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    if (error.setting === 'layers' && args.model !== undefined) throw new SettingError('model', error.problem);
    if (error.setting === 'layers' && args.layers === undefined && preset.model.layers !== undefined) {
      throw new SettingError('preset', `the ${args.preset} preset's network: ${error.problem}`);
    }
    if ((Object.values(AUGMENT_SETTINGS) as string[]).includes(error.setting) && augmentRangesOf(args) === undefined) {
      throw new SettingError('preset', `the ${args.preset} preset's augmentation ${error.problem}`);
    }
    throw error;
  }
  const file = args.model;
  if (file?.input !== undefined && file.input.join(',') !== spec.input.join(',')) {
    throw new SettingError('model', `the file's input is [${file.input.join(', ')}], but the data give the network [${spec.input.join(', ')}]`);
  }
}
