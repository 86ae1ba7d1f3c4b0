import { SettingError } from '../core/errors.js';
import { nestSettings, SETTING_PLACES } from '../core/settings-record.js';
import { defaultInitFor } from '../model/init.js';
import { parseLayers } from '../model/parse-layers.js';
import type { LrSchedule } from '../model/lr-schedule.js';
import type { OptimizerName } from '../model/optimizers/create-optimizer.js';
import {
  checkTrainSettings,
  LESSON_SETTINGS,
  type DataSettings,
  type ModelSettings,
  type OptimizerSettings,
  type RunSettings,
  type ScheduleSettings,
  type TrainSettings,
} from './settings.js';

/**
 * The most accurate MLP we train in reasonable time on a 2-core machine with
 * the TypeScript kernels: 784-512-256-10, ReLU with batch norm, dropout,
 * Adam with a cosine schedule. Measured figures are in the README.
 */
export const BEST_SETTINGS: TrainSettings = {
  model: { ...LESSON_SETTINGS.model, hidden: [512, 256], activation: 'relu', init: { kind: 'he' }, batchNorm: true, dropout: 0.2 },
  optimizer: { name: 'adam', lr: 0.001, weightDecay: 0 },
  schedule: { kind: 'cosine', warmup: 0 },
  data: { ...LESSON_SETTINGS.data, batchSize: 100 },
  run: { ...LESSON_SETTINGS.run, epochs: 20 },
};

/** The network of the cnn preset, in --layers syntax. */
export const CNN_LAYERS = 'conv:16:5,relu,maxpool:2,conv:32:5,relu,maxpool:2,flatten,dense:100,relu,dropout:0.5,dense:10';

/**
 * The most accurate network we train within 10 minutes on a 2-core machine
 * with the wasm kernels: two 5x5 convolutions (16 and 32 channels) with max
 * pooling, a 100-unit dense layer with dropout, Adam with a cosine schedule,
 * training images shifted by up to 2 pixels. Measured figures are in the README.
 */
export const CNN_SETTINGS: TrainSettings = {
  model: { ...LESSON_SETTINGS.model, activation: 'relu', init: { kind: 'he' }, layers: parseLayers(CNN_LAYERS) },
  optimizer: BEST_SETTINGS.optimizer,
  schedule: BEST_SETTINGS.schedule,
  data: { ...LESSON_SETTINGS.data, evalBatchSize: 100, augment: { shift: 2, rotate: 0, scale: 1 } },
  run: { ...LESSON_SETTINGS.run, epochs: 15 },
};

export const PRESETS = { lesson: LESSON_SETTINGS, best: BEST_SETTINGS, cnn: CNN_SETTINGS } as const;
export type PresetName = keyof typeof PRESETS;

type Given<T> = { readonly [K in keyof T]?: T[K] | undefined };

/**
 * Settings laid over a preset, group by group: each one given (not
 * undefined) replaces the preset's. A new `model.activation` also brings its
 * default init (unless `init` or `initStd` is given); another
 * `optimizer.name` drops the preset's hyperparameters; a `schedule` with a
 * `kind` replaces the preset's schedule (its warmup kept unless given).
 */
export interface SettingOverrides {
  readonly model?: (Given<ModelSettings> & { /** Shorthand for init N(0, initStd²); not with `init`. */ readonly initStd?: number | undefined }) | undefined;
  readonly optimizer?: Given<OptimizerSettings> | undefined;
  readonly schedule?: (LrSchedule & { readonly warmup?: number | undefined }) | { readonly kind?: undefined; readonly warmup?: number | undefined } | undefined;
  readonly data?: Given<DataSettings> | undefined;
  readonly run?: Given<RunSettings> | undefined;
}

/** Overrides in the flat form, named as the command line's flags (`optimizer` is the name, `lrSchedule` the schedule). */
export type FlatOverrides = Given<
  Omit<ModelSettings & OptimizerSettings & DataSettings & RunSettings, 'name' | 'normalization'> & {
    readonly optimizer: OptimizerName;
    readonly lrSchedule: LrSchedule;
    readonly warmup: number;
    readonly initStd: number;
  }
>;

/** Flat overrides (e.g. parsed flags) in their groups; other keys of `flat` are passed over. */
export function flatOverrides(flat: FlatOverrides): SettingOverrides {
  const known = Object.entries(flat).filter(([key, value]) => key in SETTING_PLACES && value !== undefined);
  return nestSettings(Object.fromEntries(known)) as SettingOverrides;
}

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
  const [m, op, sc, d, r] = [o.model ?? {}, o.optimizer ?? {}, o.schedule ?? {}, o.data ?? {}, o.run ?? {}];
  const p = preset;
  if (m.init !== undefined && m.initStd !== undefined) throw new SettingError('init', 'give init or initStd, not both');
  const activation = m.activation ?? p.model.activation;
  const init = m.init ?? (m.initStd !== undefined ? { kind: 'normal' as const, std: m.initStd } : m.activation !== undefined ? defaultInitFor(activation) : p.model.init);
  const name = op.name ?? p.optimizer.name;
  for (const [hyper, users] of Object.entries(USES) as [keyof typeof USES, readonly OptimizerName[]][]) {
    if (op[hyper] !== undefined && !users.includes(name)) throw new SettingError(hyper, `only ${users.join(' and ')} use it, not ${name}`);
  }
  const keep = name === p.optimizer.name;
  const warmup = sc.warmup ?? p.schedule.warmup;
  // groups and fields in this order: a checkpoint records the settings as JSON, and the same run must make the same bytes
  return {
    model: {
      hidden: m.hidden ?? p.model.hidden,
      activation,
      init,
      dropout: m.dropout ?? p.model.dropout,
      batchNorm: m.batchNorm ?? p.model.batchNorm,
      classes: m.classes ?? p.model.classes,
      layers: m.layers ?? p.model.layers,
    },
    optimizer: {
      name,
      lr: op.lr ?? p.optimizer.lr,
      momentum: op.momentum ?? (keep ? p.optimizer.momentum : undefined),
      beta1: op.beta1 ?? (keep ? p.optimizer.beta1 : undefined),
      beta2: op.beta2 ?? (keep ? p.optimizer.beta2 : undefined),
      eps: op.eps ?? (keep ? p.optimizer.eps : undefined),
      weightDecay: op.weightDecay ?? p.optimizer.weightDecay,
    },
    schedule: sc.kind === undefined ? { ...p.schedule, warmup } : ({ ...sc, warmup } as ScheduleSettings),
    data: {
      batchSize: d.batchSize ?? p.data.batchSize,
      sampler: d.sampler ?? p.data.sampler,
      shuffleBuffer: d.shuffleBuffer ?? p.data.shuffleBuffer,
      normalization: d.normalization ?? p.data.normalization,
      evalBatchSize: d.evalBatchSize ?? p.data.evalBatchSize,
      augment: d.augment ?? p.data.augment,
      validation: d.validation ?? p.data.validation,
    },
    run: { epochs: r.epochs ?? p.run.epochs, seed: r.seed ?? p.run.seed, maxLoss: r.maxLoss ?? p.run.maxLoss, earlyStop: r.earlyStop ?? p.run.earlyStop },
  };
}
