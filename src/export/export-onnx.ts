import { encodeOnnxModel, onnxDataType, onnxIrVersion, type OnnxModel, type OnnxValueInfo } from '../formats/onnx.js';
import { parameterTensors } from '../model/tensors.js';
import type { LoadedCheckpoint } from '../run/load-checkpoint.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { placeLayers } from '../model/model-spec.js';
import { exportLayer, PROBABILITIES, softmax } from './onnx-layers.js';

/** The graph's input: raw pixel values, as the IDX file holds them (0..255 for MNIST), as float32. */
export const ONNX_INPUT = 'pixels';

/** Opset 13: Softmax over the last axis, BatchNormalization-9; every runtime of the last years has it. */
export const ONNX_OPSET = 13;

export interface OnnxExportOptions {
  /** The producer_version recorded in the file (default: none). */
  readonly producerVersion?: string;
}

/** What exporting needs of a checkpoint (as loadCheckpoint returns it). */
export type ExportableCheckpoint = Pick<LoadedCheckpoint, 'spec' | 'network' | 'normalization' | 'epoch' | 'iteration'>;

/**
 * The ONNX model of a trained network, in evaluation mode: the input
 * normalisation (x · scale + offset) as its first nodes, so it takes raw
 * pixel values [batch × input]; then the layers; softmax probabilities
 * [batch × classes] as its output.
 */
export function onnxModelOf(checkpoint: ExportableCheckpoint, options: OnnxExportOptions = {}): OnnxModel {
  const { spec, normalization } = checkpoint;
  const tensors = new Map(parameterTensors(checkpoint.network).map((t) => [t.name, t]));
  const lookup = (name: string) => {
    const found = tensors.get(name);
    if (found === undefined) throw new Error(`the network has no tensor ${name}`);
    return found;
  };
  const graph = new OnnxGraphBuilder();
  const scaled = graph.node('Mul', [ONNX_INPUT, graph.constant('normalize.scale', [], [normalization.scale])], 'normalize.scaled');
  let x = graph.node('Add', [scaled, graph.constant('normalize.offset', [], [normalization.offset])], 'normalize');
  // images [channels, height, width] arrive as rows of values, as batches carry them
  if (spec.input.length > 1) x = graph.node('Reshape', [x, graph.int64s('input.shape', [-1, ...spec.input])], 'input');
  const layers = placeLayers(spec);
  layers.forEach((layer, i) => (x = exportLayer(layer, i, x, graph, lookup)));
  softmax(x, graph);
  const classes = layers.at(-1)!.output[0]!;
  const inputSize = spec.input.reduce((a, b) => a * b, 1);
  return {
    ir_version: onnxIrVersion(),
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'rxnn',
    producer_version: options.producerVersion ?? '',
    doc_string: `rxnn network; input: raw values (scaled by ${normalization.scale}, offset by ${normalization.offset} in the graph); output: class probabilities`,
    graph: {
      name: 'rxnn',
      node: graph.nodes,
      initializer: graph.initializers,
      input: [floatMatrix(ONNX_INPUT, inputSize, 'raw pixel values, one image per row')],
      output: [floatMatrix(PROBABILITIES, classes, 'softmax probabilities, one row per image')],
    },
    metadata_props: [
      { key: 'rxnn.normalize', value: JSON.stringify(normalization) },
      ...(checkpoint.epoch === undefined ? [] : [{ key: 'rxnn.epoch', value: String(checkpoint.epoch) }]),
      ...(checkpoint.iteration === undefined ? [] : [{ key: 'rxnn.iteration', value: String(checkpoint.iteration) }]),
    ],
  };
}

/** The bytes of a .onnx file for the checkpoint's network (see onnxModelOf). */
export function exportOnnx(checkpoint: ExportableCheckpoint, options: OnnxExportOptions = {}): Uint8Array {
  return encodeOnnxModel(onnxModelOf(checkpoint, options));
}

function floatMatrix(name: string, columns: number, doc: string): OnnxValueInfo {
  return { name, doc_string: doc, type: { tensor_type: { elem_type: onnxDataType('FLOAT'), shape: { dim: [{ dim_param: 'batch' }, { dim_value: columns }] } } } };
}
