export * from './errors.js';
export * from './random/random.js';
export * from './random/streams.js';
export * from './sources/index.js';
export * from './operators/index.js';
export * from './model/index.js';
export * from './sinks/index.js';
export * from './run/index.js';
