export { exportOnnx, onnxModelOf, ONNX_INPUT, ONNX_OPSET, type ExportableCheckpoint, type OnnxExportOptions } from './export-onnx.js';
export { PROBABILITIES } from './onnx-layers.js';
export { decodeOnnxModel, type OnnxModel } from '../formats/onnx.js';
