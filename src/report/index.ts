export * from './run-metrics.js';
export * from './smooth.js';
export * from './chart-specs.js';
export * from './render.js';
export * from './write-plots.js';
export * from './run-summaries.js';
export * from './seed-aggregate.js';
