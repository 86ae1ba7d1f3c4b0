import { LESSON_SETTINGS, type TrainSettings } from './settings.js';

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
