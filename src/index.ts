export * from './core/index.js';
export * from './sources/index.js';
export * from './operators/index.js';
export * from './model/index.js';
export * from './sinks/index.js';
export * from './run/index.js';
export * from './report/index.js';
