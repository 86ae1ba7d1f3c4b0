export * from './idx-format.js';
export * from './idx-file.js';
export * from './dataset.js';
export * from './samples.js';
export * from './mnist.js';
