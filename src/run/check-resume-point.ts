import { InputError } from '../core/errors.js';
import { modelTensorShapes, randomGeneratorCount } from '../model/model-size.js';
import type { Kernels } from '../model/kernels/kernels.js';
import type { ModelSpec } from '../model/model-spec.js';
import { OPTIMIZER_SLOTS, type OptimizerName } from '../model/optimizers/create-optimizer.js';
import type { SafetensorsFile } from '../formats/safetensors.js';
import { flatSettings } from '../core/settings-record.js';
import type { TrainSettings } from './settings.js';
import { parseModelMetadata } from './model-metadata.js';
import { OPTIMIZER_PREFIX, type TrainingState } from './training-state.js';

/** A checkpoint a run can continue from. */
export interface ResumePoint {
  /** The checkpoint file's name in the run's checkpoints/ folder. */
  readonly name: string;
  readonly file: SafetensorsFile;
  readonly state: TrainingState;
}

/** What a checkpoint of a run must hold, known before any checkpoint is read. */
export interface ResumeExpectations {
  readonly spec: ModelSpec;
  readonly optimizer: OptimizerName;
  readonly stepsPerEpoch: number;
}

/**
 * Throws an InputError naming the checkpoint unless its training state is
 * consistent (position, step count, CSV rows and loss sums agree) and its
 * tensors are exactly those of this model and optimizer, finite. Such a
 * checkpoint is damaged: a resumed run passes it over. `where` names it in the error.
 */
export function checkResumePoint(point: ResumePoint, expected: ResumeExpectations, where = point.name): void {
  const fail = (problem: string): never => {
    throw new InputError(`${where}: damaged training state: ${problem}`);
  };
  const { state } = point;
  const perEpoch = expected.stepsPerEpoch;
  const { epoch, step } = state.position;
  if (step !== undefined && step > perEpoch) fail(`position step ${step} is beyond the ${perEpoch} steps of an epoch`);
  const iteration = (epoch - 1) * perEpoch + (step ?? perEpoch);
  const at = `epoch ${epoch}${step === undefined ? "'s end" : ` step ${step}`}`;
  if (state.iteration !== iteration) fail(`optimizer_steps ${state.iteration} at ${at}, expected ${iteration}`);
  const epochsDone = step === undefined ? epoch : epoch - 1;
  if (state.csvRows.epochs !== epochsDone || state.csvRows.steps !== iteration) {
    fail(`csv_rows ${JSON.stringify(state.csvRows)} at ${at}, expected {"epochs":${epochsDone},"steps":${iteration}}`);
  }
  if (state.epochLoss.steps !== (step ?? 0)) fail(`epoch_loss counts ${state.epochLoss.steps} steps at ${at}`);
  if (step === undefined && state.metrics === undefined) fail(`no metrics at ${at}`);
  if (state.best !== undefined && state.best.epoch > epochsDone) fail(`best epoch ${state.best.epoch} at ${at}`);
  if (state.earlyStop !== undefined && state.earlyStop.epoch > epochsDone) fail(`early_stop epoch ${state.earlyStop.epoch} at ${at}`);
  if (state.plateau !== undefined && state.plateau.wait > epochsDone) fail(`plateau wait of ${state.plateau.wait} epochs at ${at}`);
  const generators = randomGeneratorCount(expected.spec);
  if (state.random.length !== generators) fail(`${state.random.length} random generator states, the model has ${generators}`);
  checkTensors(point, expected, iteration > 0, fail);
}

function checkTensors(point: ResumePoint, expected: ResumeExpectations, stepped: boolean, fail: (problem: string) => never): void {
  const shapes = new Map<string, readonly number[]>();
  for (const t of modelTensorShapes(expected.spec)) {
    shapes.set(t.name, t.shape);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.parameter && stepped) for (const slot of OPTIMIZER_SLOTS[expected.optimizer]) shapes.set(`${OPTIMIZER_PREFIX}${t.name}.${slot}`, [size]);
  }
  for (const tensor of point.file.tensors) {
    const shape = shapes.get(tensor.name);
    if (shape === undefined) fail(`tensor ${tensor.name} belongs to no parameter or ${expected.optimizer} slot of the model`);
    if (shape.join('x') !== tensor.shape.join('x')) fail(`tensor ${tensor.name} has shape [${tensor.shape}], expected [${shape}]`);
    const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`tensor ${tensor.name} holds ${tensor.data[bad]} at ${bad}`);
    shapes.delete(tensor.name);
  }
  const missing = [...shapes.keys()][0];
  if (missing !== undefined) fail(`tensor ${missing} is missing`);
}

/** Where a run and a checkpoint it would resume from disagree. */
export interface RunMismatch {
  readonly field: string;
  readonly run: string;
  readonly checkpoint: string;
}

/**
 * The first difference between the run's model, settings (but `run.epochs`)
 * and kernels (backend, SIMD variant) and those the checkpoint was trained with; undefined when
 * they agree (settings are compared when the checkpoint records them).
 */
export function runMismatch(point: ResumePoint, spec: ModelSpec, settings: TrainSettings, kernels: Pick<Kernels, 'backend' | 'simd'>): RunMismatch | undefined {
  const model = point.file.metadata['model'];
  if (model === undefined || canonicalJson(checkpointModel(model)) !== canonicalJson(spec)) return { field: 'model', run: JSON.stringify(spec), checkpoint: model ?? 'none' };
  const recorded = point.state.settings;
  if (recorded !== undefined) {
    // compared in the flat form, so that a difference is named as its flag (`lr`, `seed`)
    const run = flatSettings(recordedSettings(settings));
    const was = flatSettings(recorded);
    for (const key of new Set([...Object.keys(run), ...Object.keys(was)])) {
      const [a, b] = [canonicalJson(run[key]), canonicalJson(was[key])];
      if (a !== b) return { field: key, run: a ?? 'none', checkpoint: b ?? 'none' };
    }
  }
  const trainedWith = point.file.metadata['backend'] ?? 'ts';
  if (trainedWith !== kernels.backend) return { field: 'backend', run: kernels.backend, checkpoint: trainedWith };
  // checkpoints from before the variants existed were computed as plain computes
  const roundedWith = point.file.metadata['simd'] ?? 'plain';
  return roundedWith === kernels.simd ? undefined : { field: 'simd', run: kernels.simd, checkpoint: roundedWith };
}

/** The checkpoint's model in today's form; undefined when it describes none. */
function checkpointModel(text: string): ModelSpec | undefined {
  try {
    return parseModelMetadata(text, 'model');
  } catch {
    return undefined;
  }
}

/** The settings a checkpoint records: all but `run.epochs`, which a resumed run may raise. */
export function recordedSettings(settings: TrainSettings): Readonly<Record<string, unknown>> {
  const { epochs: _epochs, ...run } = settings.run;
  return JSON.parse(JSON.stringify({ ...settings, run })) as Record<string, unknown>;
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
