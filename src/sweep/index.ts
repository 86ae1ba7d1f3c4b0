export * from './sweep-spec.js';
export * from './sweep-trials.js';
export * from './sweep-folder.js';
