export * from './epoch-end.js';
export * from './repeat-epochs.js';
export * from './reorder-each-epoch.js';
export * from './shuffle.js';
export * from './sample-with-replacement.js';
export * from './minibatch.js';
export * from './normalize.js';
export * from './map-items.js';
