import { z } from 'zod';
import { BACKENDS } from '../model/kernels/backends.js';
import { SIMD_VARIANTS } from '../model/kernels/wasm-module.js';
import { HIDDEN_ACTIVATIONS } from '../model/model-spec.js';
import { OPTIMIZERS } from '../model/optimizers/create-optimizer.js';
import { PRESETS, type PresetName } from '../run/presets.js';
import { SAMPLERS } from '../run/settings.js';
import { BEST_METRICS } from '../run/training-state.js';
import { MAX_THREADS } from './backend-option.js';

const path = z.string().min(1);
const whole = z.int();
const number = z.number();
/** Each layer's fields are checked by its kind's schema where the network is placed (modelSpecOf). */
const layerList = z.array(z.looseObject({ type: z.string() }));

/**
 * The run flags as run.json records them (the values yargs parsed), each
 * with its type; ranges are then checked by the same code as the command
 * line's (requestedSettings, checkTrainSettings). A key that is not a run
 * flag is refused.
 */
export const runArgsSchema = z.strictObject({
  preset: z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]).optional(),
  trainImages: path.optional(),
  trainLabels: path.optional(),
  testImages: path.optional(),
  testLabels: path.optional(),
  validation: number.optional(),
  validationImages: path.optional(),
  validationLabels: path.optional(),
  earlyStop: z.strictObject({ patience: whole, minDelta: number }).optional(),
  classes: whole.optional(),
  stream: z.boolean().optional(),
  memoryBudget: whole.positive().optional(),
  shuffleBuffer: whole.optional(),
  epochs: whole.optional(),
  batchSize: whole.optional(),
  evalBatchSize: whole.optional(),
  seed: whole.optional(),
  sampler: z.enum(SAMPLERS).optional(),
  augmentShift: whole.optional(),
  augmentRotate: number.optional(),
  augmentScale: number.optional(),
  maxLoss: number.optional(),
  layers: layerList.optional(),
  model: z.strictObject({ input: z.array(whole).optional(), layers: layerList }).optional(),
  hidden: z.array(whole).optional(),
  activation: z.enum(HIDDEN_ACTIVATIONS).optional(),
  init: z
    .discriminatedUnion('kind', [z.strictObject({ kind: z.literal('normal'), std: number }), z.strictObject({ kind: z.enum(['xavier', 'he']) })])
    .optional(),
  initStd: number.optional(),
  batchNorm: z.boolean().optional(),
  dropout: number.optional(),
  weightDecay: number.optional(),
  optimizer: z.enum(OPTIMIZERS).optional(),
  lr: number.optional(),
  momentum: number.optional(),
  beta1: number.optional(),
  beta2: number.optional(),
  eps: number.optional(),
  lrSchedule: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.enum(['constant', 'cosine']) }),
      z.strictObject({ kind: z.literal('step'), every: whole, gamma: number }),
      z.strictObject({ kind: z.literal('exponential'), gamma: number }),
      z.strictObject({ kind: z.literal('plateau'), factor: number, patience: whole, minLr: number }),
    ])
    .optional(),
  warmup: whole.optional(),
  saveBest: z.enum([...BEST_METRICS, 'auto']).optional(),
  keepCheckpoints: whole.positive().optional(),
  backend: z.enum(BACKENDS).optional(),
  simd: z.enum(SIMD_VARIANTS).optional(),
  threads: whole.min(1).max(MAX_THREADS).optional(),
});
