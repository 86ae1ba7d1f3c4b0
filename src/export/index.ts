export * from './export-onnx.js';
export * from './onnx-graph-builder.js';
export * from './onnx-layers.js';
export * from '../formats/onnx.js';
