import { SettingError } from '../core/errors.js';
import { defaultInitFor } from '../model/init.js';
import type { OptimizerName } from '../model/optimizers/create-optimizer.js';
import { checkTrainSettings, LESSON_SETTINGS, type TrainSettings } from './settings.js';

/**
 * The most accurate MLP we train in reasonable time on a 2-core machine with
 * the TypeScript kernels: 784-512-256-10, ReLU with batch norm, dropout,
 * Adam with a cosine schedule. Measured figures are in the README.
 */
export const BEST_SETTINGS: TrainSettings = {
  ...LESSON_SETTINGS,
  epochs: 20,
  batchSize: 100,
  lr: 0.001,
  hidden: [512, 256],
  activation: 'relu',
  init: { kind: 'he' },
  batchNorm: true,
  dropout: 0.2,
  optimizer: 'adam',
  lrSchedule: { kind: 'cosine' },
};

export const PRESETS = { lesson: LESSON_SETTINGS, best: BEST_SETTINGS } as const;
export type PresetName = keyof typeof PRESETS;

/**
 * Settings laid over a preset: each one given (not undefined) replaces the
 * preset's. A new `activation` also brings its default init (unless `init` or
 * `initStd` is given); another `optimizer` drops the preset's hyperparameters.
 */
export type SettingOverrides = { readonly [K in Exclude<keyof TrainSettings, 'normalization' | 'evalBatchSize'>]?: TrainSettings[K] | undefined } & {
  /** Shorthand for init N(0, initStd²); not with `init`. */
  readonly initStd?: number | undefined;
};

/** The hyperparameters each optimizer takes beyond its rate. */
const USES: Record<'momentum' | 'beta1' | 'beta2' | 'eps', readonly OptimizerName[]> = {
  momentum: ['momentum', 'nesterov'],
  beta1: ['adam'],
  beta2: ['adam', 'rmsprop'],
  eps: ['adagrad', 'rmsprop', 'adam'],
};

/** A preset (by name, or settings) with `overrides` laid over it: the settings of a run, checked (SettingError naming the first one out of range). */
export function presetSettings(preset: PresetName | TrainSettings, overrides: SettingOverrides = {}): TrainSettings {
  const settings = layOver(typeof preset === 'string' ? PRESETS[preset] : preset, overrides);
  checkTrainSettings(settings);
  return settings;
}

/** presetSettings without the check, for callers that complete the settings first (e.g. with the data's classes). */
export function layOver(preset: TrainSettings, o: SettingOverrides): TrainSettings {
  if (o.init !== undefined && o.initStd !== undefined) throw new SettingError('init', 'give init or initStd, not both');
  const activation = o.activation ?? preset.activation;
  const init = o.init ?? (o.initStd !== undefined ? { kind: 'normal' as const, std: o.initStd } : o.activation !== undefined ? defaultInitFor(activation) : preset.init);
  const optimizer = o.optimizer ?? preset.optimizer;
  for (const [name, users] of Object.entries(USES) as [keyof typeof USES, readonly OptimizerName[]][]) {
    if (o[name] !== undefined && !users.includes(optimizer)) throw new SettingError(name, `only ${users.join(' and ')} use it, not ${optimizer}`);
  }
  const keep = optimizer === preset.optimizer;
  // in this order: a checkpoint records the settings as JSON, and the same run must make the same bytes
  return {
    ...preset,
    hidden: o.hidden ?? preset.hidden,
    activation,
    init,
    batchNorm: o.batchNorm ?? preset.batchNorm,
    dropout: o.dropout ?? preset.dropout,
    weightDecay: o.weightDecay ?? preset.weightDecay,
    optimizer,
    lr: o.lr ?? preset.lr,
    momentum: o.momentum ?? (keep ? preset.momentum : undefined),
    beta1: o.beta1 ?? (keep ? preset.beta1 : undefined),
    beta2: o.beta2 ?? (keep ? preset.beta2 : undefined),
    eps: o.eps ?? (keep ? preset.eps : undefined),
    lrSchedule: o.lrSchedule ?? preset.lrSchedule,
    warmup: o.warmup ?? preset.warmup,
    epochs: o.epochs ?? preset.epochs,
    batchSize: o.batchSize ?? preset.batchSize,
    maxLoss: o.maxLoss ?? preset.maxLoss,
    seed: o.seed ?? preset.seed,
    sampler: o.sampler ?? preset.sampler,
    shuffleBuffer: o.shuffleBuffer ?? preset.shuffleBuffer,
    classes: o.classes ?? preset.classes,
    validation: o.validation ?? preset.validation,
    earlyStop: o.earlyStop ?? preset.earlyStop,
  };
}
