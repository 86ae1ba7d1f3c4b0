export * from './settings.js';
export * from './run-directory.js';
export * from './train-run.js';
export * from './input-normalization.js';
export * from './presets.js';
export * from './load-checkpoint.js';
