import { concatMap, defer, endWith, from, range, type Observable, type OperatorFunction } from 'rxjs';
import { InputError, SettingError } from '../errors.js';
import { buildNetwork } from '../model/build-network.js';
import type { Batch } from '../model/batch.js';
import { evaluateEpochs, type EpochReport } from '../model/evaluate-epochs.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { DEFAULT_BATCH_NORM, mlpSpec, type ModelSpec } from '../model/model-spec.js';
import type { Network } from '../model/network.js';
import { createOptimizer } from '../model/optimizers/create-optimizer.js';
import { parameterTensors } from '../model/tensors.js';
import { trainSteps, type StepResult } from '../model/train-steps.js';
import { EpochEnd } from '../operators/epoch-end.js';
import { minibatch } from '../operators/minibatch.js';
import { normalize, type Normalization } from '../operators/normalize.js';
import { sampleWithReplacement } from '../operators/sample-with-replacement.js';
import { shuffle } from '../operators/shuffle.js';
import { shuffleBuffer } from '../operators/shuffle-buffer.js';
import { appendCsv } from '../sinks/append-csv.js';
import { writeCheckpoints, type Checkpoint } from '../sinks/checkpoint.js';
import type { SampleSet } from '../sources/dataset.js';
import { samples, type Sample } from '../sources/samples.js';
import { createRunDirectory, EPOCH_COLUMNS, STEP_COLUMNS, type RunDirectory } from './run-directory.js';
import { checkTrainSettings, learningRateSchedule, type TrainSettings } from './settings.js';

export type RunEvent = StepResult | EpochReport;

export interface TrainRunOptions {
  readonly settings: TrainSettings;
  /** In memory or streamed from disk; a streamed training set needs settings.shuffleBuffer. */
  readonly train: SampleSet;
  readonly test: SampleSet;
  /** The run folder: epochs.csv, steps.csv, checkpoints/. */
  readonly outDir: string;
  /** Seconds since the run started; by default measured from subscription. */
  readonly clock?: () => number;
  readonly kernels?: Kernels;
}

/**
 * A whole training run as a stream of step results and epoch reports. Each
 * epoch is its own subscription of the pipeline
 *   samples -> shuffle | sample with replacement -> minibatch -> normalize
 *   -> train steps -> evaluate at the epoch end -> CSV and checkpoint sinks,
 * and the next epoch starts only once the previous one's files are on disk.
 */
export function trainRun(options: TrainRunOptions): Observable<RunEvent> {
  return defer(() => {
    const { settings, train, test, outDir } = options;
    checkTrainSettings(settings);
    checkCompatible(train, test, settings);
    const started = performance.now();
    const clock = options.clock ?? (() => (performance.now() - started) / 1000);
    const spec = modelSpecOf(settings, train.inputSize);
    const { init, seed, weightDecay } = settings;
    const network = buildNetwork(spec, { init, seed, weightDecay, kernels: options.kernels });
    const optimizer = createOptimizer({ ...settings, name: settings.optimizer }, options.kernels);
    const learningRate = learningRateSchedule(settings, Math.ceil(train.count / settings.batchSize));
    const evalBatches = (dataset: SampleSet): Observable<Batch | EpochEnd> =>
      samples(dataset).pipe(minibatch({ size: settings.evalBatchSize }), normalize(settings.normalization));

    const runEpoch = (run: RunDirectory, number: number): Observable<RunEvent> =>
      samples(train).pipe(
        endWith(new EpochEnd(number)),
        sampleOrder(settings, number),
        minibatch({ size: settings.batchSize }),
        normalize(settings.normalization),
        trainSteps(network, optimizer, { firstEpoch: number, learningRate }),
        evaluateEpochs({ network, optimizer, train: evalBatches(train), test: evalBatches(test), clock }),
        appendCsv<RunEvent>({
          path: run.stepsCsv,
          columns: STEP_COLUMNS,
          row: (e) => (e.kind === 'step' ? { epoch: e.epoch, iteration: e.iteration, loss: e.loss } : undefined),
          flushAt: (e) => e.kind === 'epoch',
        }),
        appendCsv<RunEvent>({
          path: run.epochsCsv,
          columns: EPOCH_COLUMNS,
          row: (e) => (e.kind === 'epoch' ? epochRow(e) : undefined),
          flushAt: (e) => e.kind === 'epoch',
        }),
        writeCheckpoints<RunEvent>({
          dir: run.checkpoints,
          checkpointOf: (e) =>
            e.kind === 'epoch' ? { epoch: e.epoch, checkpoint: checkpoint(network, spec, settings.normalization, e) } : undefined,
        }),
      );

    return from(createRunDirectory(outDir)).pipe(
      concatMap((run) => range(1, settings.epochs).pipe(concatMap((number) => runEpoch(run, number)))),
    );
  });
}

/** The network the settings describe, for inputs of `input` values. */
export function modelSpecOf(settings: TrainSettings, input: number): ModelSpec {
  return mlpSpec(input, settings.hidden, settings.classes, {
    activation: settings.activation,
    dropout: settings.dropout,
    ...(settings.batchNorm ? { batchNorm: DEFAULT_BATCH_NORM } : {}),
  });
}

function sampleOrder(settings: TrainSettings, epoch: number): OperatorFunction<Sample | EpochEnd, Sample | EpochEnd> {
  const { seed } = settings;
  if (settings.shuffleBuffer !== undefined) return shuffleBuffer({ size: settings.shuffleBuffer, seed, firstEpoch: epoch });
  return settings.sampler === 'permutation' ? shuffle({ seed }) : sampleWithReplacement({ seed });
}

function epochRow(e: EpochReport): Record<(typeof EPOCH_COLUMNS)[number], number> {
  return {
    epoch: e.epoch,
    iteration: e.iteration,
    train_loss: e.trainLoss,
    train_acc: e.trainAccuracy,
    test_loss: e.testLoss,
    test_acc: e.testAccuracy,
    lr: e.learningRate,
    seconds: e.seconds,
  };
}

/** The checkpoint of an epoch: weights named dense.{i}.weight/bias, and what is needed to use them. */
export function checkpoint(network: Network, spec: ModelSpec, normalization: Normalization, report: EpochReport): Checkpoint {
  return {
    tensors: parameterTensors(network),
    metadata: {
      model: JSON.stringify(spec),
      normalize: JSON.stringify({ scale: normalization.scale, offset: normalization.offset }),
      epoch: String(report.epoch),
      iteration: String(report.iteration),
    },
  };
}

function checkCompatible(train: SampleSet, test: SampleSet, settings: TrainSettings): void {
  if (train.storage === 'stream' && settings.shuffleBuffer === undefined) {
    throw new SettingError('shuffleBuffer', 'a training set streamed from disk is shuffled through a buffer: give its size');
  }
  if (train.inputSize !== test.inputSize) {
    throw new InputError(
      `test images have ${test.shape.join('x')} values, training images ${train.shape.join('x')}; they must match`,
    );
  }
  if (train.count === 0) throw new InputError('the training set is empty');
  if (test.count === 0) throw new InputError('the test set is empty');
  if (train.elementType !== test.elementType) {
    throw new InputError(`test images are ${test.elementType} values, training images ${train.elementType}; they must match`);
  }
  const classes = Math.max(train.classes, test.classes);
  if (classes > settings.classes) {
    throw new SettingError('classes', `the labels go up to ${classes - 1}, so at least ${classes} classes are needed, got ${settings.classes}`);
  }
}
