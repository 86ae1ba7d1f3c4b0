import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parseJsonWith } from '../core/schema-check.js';
import type { NamedTensor, SafetensorsFile } from '../formats/safetensors.js';
import type { FloatArray, Kernels } from '../model/kernels/kernels.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import type { ModelSpec } from '../model/model-spec.js';
import type { Network } from '../model/network.js';
import type { Optimizer } from '../model/optimizers/optimizer.js';
import { loadParameterTensors, parameterTensors } from '../model/tensors.js';
import type { Normalization } from '../operators/normalize.js';
import type { Checkpoint, CheckpointPosition } from '../sinks/checkpoint.js';
import type { EpochMetrics } from '../core/metric-rows.js';
import { nestSettings } from '../core/settings-record.js';
import type { PlateauState } from '../model/lr-schedule.js';

/** Metrics a run can select its best epoch by: the validation ones, or (leaking the test set into the choice) the test ones. */
export const BEST_METRICS = ['val_acc', 'val_loss', 'test_acc', 'test_loss'] as const;
export type BestMetric = (typeof BEST_METRICS)[number];

export interface BestSoFar {
  readonly metric: BestMetric;
  readonly value: number;
  readonly epoch: number;
}

export type { EpochMetrics } from '../core/metric-rows.js';

/**
 * Where a run stands at a checkpoint, apart from the tensors: everything the
 * rest of the run depends on, so a resumed run continues bit for bit.
 */
export interface RunProgress {
  readonly position: CheckpointPosition;
  /** Updates made in the whole run. */
  readonly iteration: number;
  /** Records each counted sink holds at this point (rows of epochs.csv and steps.csv, and any added sink's), by the sink's name. */
  readonly csvRows: Readonly<Record<string, number>>;
  /** Sum and count of the step losses of the unfinished epoch (zero at an epoch's end). */
  readonly epochLoss: { readonly sum: number; readonly steps: number };
  /**
   * Run time so far, across resumes; kept only inside an epoch, so that the
   * checkpoints at epochs' ends of runs with the same seed are identical
   * files (a run resumed there takes its time from epochs.csv).
   */
  readonly seconds?: number | undefined;
  readonly best?: BestSoFar | undefined;
  /** The metrics of the epoch just finished, for a checkpoint at an epoch's end. */
  readonly metrics?: EpochMetrics | undefined;
  /**
   * The settings the run trains with (grouped as TrainSettings), but for `run.epochs` (which a resumed run may raise); absent in
   * the oldest checkpoints, flat in those written before settings were grouped (read in today's form: nestSettings).
   */
  readonly settings?: Readonly<Record<string, unknown>> | undefined;
  /** Early stopping's best value and epoch, in a run that stops early. */
  readonly earlyStop?: { readonly value: number; readonly epoch: number } | undefined;
  /** A plateau schedule's state, in a run that has one. */
  readonly plateau?: PlateauState | undefined;
}

export interface TrainingState extends RunProgress {
  readonly csvRows: { readonly epochs: number; readonly steps: number; readonly [sink: string]: number };
  readonly optimizer: { readonly steps: number; readonly slots: readonly (readonly [string, FloatArray])[] };
  /** The learning rate in force (the last one a schedule set). */
  readonly learningRate: number;
  /** States of the layers' random generators (dropout), in layer order. */
  readonly random: readonly (readonly number[])[];
}

export const OPTIMIZER_PREFIX = 'optimizer.';
const STATE_KEY = 'training_state';
const STATE_FORMAT = 1;

/**
 * A checkpoint holding the whole training state: the network's tensors
 * under their usual names, the optimizer's slots as `optimizer.{parameter}.{slot}`,
 * and in metadata the model, normalisation, epoch and iteration (read by
 * `eval`) plus `training_state` (optimizer step count, random generators,
 * position, CSV row counts, best value).
 */
export function trainingCheckpoint(
  network: Network,
  optimizer: Optimizer,
  spec: ModelSpec,
  normalization: Normalization,
  progress: RunProgress,
  kernels: Pick<Kernels, 'backend' | 'simd'> = tsKernels,
): Checkpoint {
  const { steps, slots } = optimizer.state();
  const tensors: NamedTensor[] = [
    ...parameterTensors(network),
    ...slots.map(([key, data]) => ({ name: `${OPTIMIZER_PREFIX}${key}`, shape: [data.length], data })),
  ];
  const state = {
    format: STATE_FORMAT,
    position: progress.position,
    optimizer_steps: steps,
    learning_rate: optimizer.learningRate,
    random: network.randomState(),
    csv_rows: progress.csvRows,
    epoch_loss: progress.epochLoss,
    seconds: progress.seconds,
    best: progress.best,
    metrics: progress.metrics,
    settings: progress.settings,
    early_stop: progress.earlyStop,
    plateau: progress.plateau,
  };
  return {
    tensors,
    metadata: {
      model: JSON.stringify(spec),
      normalize: JSON.stringify({ scale: normalization.scale, offset: normalization.offset }),
      epoch: String(progress.position.epoch),
      iteration: String(progress.iteration),
      backend: kernels.backend,
      simd: kernels.simd,
      [STATE_KEY]: JSON.stringify(state),
    },
  };
}

const count = z.int().min(0);
const fraction = z.number().min(0).max(1);
const loss = z.number().min(0);
const generatorState = z
  .array(z.int().min(0).max(0xffffffff))
  .length(4)
  .refine((words) => words.some((w) => w !== 0), 'a generator state cannot be all zeros');

/** training_state as trainingCheckpoint writes it: every field checked, none trusted. */
const stateSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  position: z.strictObject({ epoch: z.int().min(1), step: count.optional() }),
  optimizer_steps: count,
  learning_rate: z.number().min(0),
  random: z.array(generatorState),
  csv_rows: z.object({ epochs: count, steps: count }).catchall(count),
  epoch_loss: z.strictObject({ sum: loss, steps: count }),
  seconds: z.number().min(0).optional(),
  best: z.strictObject({ metric: z.enum(BEST_METRICS), value: z.number(), epoch: z.int().min(1) }).optional(),
  metrics: z.strictObject({ train_loss: loss, train_acc: fraction, test_loss: loss, test_acc: fraction, val_loss: loss.optional(), val_acc: fraction.optional() }).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  early_stop: z.strictObject({ value: z.number(), epoch: z.int().min(1) }).optional(),
  plateau: z.strictObject({ rate: z.number().min(0), best: z.number().optional(), wait: count }).optional(),
});

/** Reads the training state of a checkpoint written by trainingCheckpoint; `name` is used in errors. */
export function readTrainingState(file: SafetensorsFile, name: string): TrainingState {
  const text = file.metadata[STATE_KEY];
  if (text === undefined) throw new InputError(`${name}: holds no training state (written by an older rxnn?); it cannot be resumed`);
  const raw = parseJsonWith(stateSchema, text, `${name}: metadata "${STATE_KEY}"`);
  const slots = file.tensors
    .filter((t) => t.name.startsWith(OPTIMIZER_PREFIX))
    .map((t) => [t.name.slice(OPTIMIZER_PREFIX.length), t.data] as const);
  return {
    position: raw.position,
    iteration: raw.optimizer_steps,
    csvRows: raw.csv_rows,
    epochLoss: raw.epoch_loss,
    seconds: raw.seconds,
    best: raw.best,
    metrics: raw.metrics,
    settings: raw.settings === undefined ? undefined : nestSettings(raw.settings),
    earlyStop: raw.early_stop,
    plateau: raw.plateau,
    optimizer: { steps: raw.optimizer_steps, slots },
    learningRate: raw.learning_rate,
    random: raw.random,
  };
}

/** Puts a network and optimizer into the state a checkpoint holds. */
export function restoreTrainingState(
  network: Network,
  optimizer: Optimizer,
  file: SafetensorsFile,
  state: TrainingState,
  name: string,
): void {
  loadParameterTensors(network, file.tensors, name);
  const sizes = new Map(network.parameters.map((p) => [p.name, p.size]));
  for (const [key, data] of state.optimizer.slots) {
    const parameter = key.slice(0, key.lastIndexOf('.'));
    if (sizes.get(parameter) !== data.length) {
      throw new InputError(`${name}: optimizer slot ${key} does not match any parameter of the model`);
    }
  }
  try {
    optimizer.restore(state.optimizer);
    optimizer.learningRate = state.learningRate;
    network.restoreRandomState(state.random);
  } catch (error) {
    throw new InputError(`${name}: training state does not fit this run (${(error as Error).message})`);
  }
}
