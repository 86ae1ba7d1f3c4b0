export * from '../core/atomic-write.js';
export * from './csv-file.js';
export * from './append-csv.js';
export * from './checkpoint.js';
export * from '../formats/safetensors.js';
