import { DEFAULT_LEAKY_SLOPE, type Activation, type DenseSpec, type ModelSpec } from '../model/model-spec.js';
import { floatAttribute, type OnnxGraphBuilder } from './onnx-graph-builder.js';

/** A trained tensor by its checkpoint name (`dense.0.weight`, `dense.0.bn.running_mean`, ...). */
export type TensorLookup = (name: string) => { readonly shape: readonly number[]; readonly data: ArrayLike<number> };

/** The graph's output: the softmax of the last layer. */
export const PROBABILITIES = 'probabilities';

type LayerSpec = ModelSpec['layers'][number];

/**
 * Appends the evaluation-mode nodes of layer `index` after value `x`;
 * returns the name of its output. One case per layer kind.
 */
export function exportLayer(layer: LayerSpec, index: number, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  switch (layer.type) {
    case 'dense':
      return denseLayer(layer, `dense.${index}`, x, graph, tensor);
  }
}

/** Dense, then batch norm, then the activation; dropout is the identity at evaluation (inverted dropout), so it leaves no node. */
function denseLayer(layer: DenseSpec, name: string, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  let y = gemm(name, x, graph, tensor);
  if (layer.batchNorm !== undefined) y = batchNormalization(`${name}.bn`, layer.batchNorm.eps, y, graph, tensor);
  return activation(layer, name, y, graph);
}

/** y = x · W + b, with W stored [in × out] as rxnn does. */
function gemm(name: string, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const [weight, bias] = [`${name}.weight`, `${name}.bias`].map((n) => constant(n, graph, tensor)) as [string, string];
  return graph.node('Gemm', [x, weight, bias], name);
}

/** ONNX's BatchNormalization with the running statistics: gamma · (x - mean) / sqrt(var + eps) + beta, as rxnn evaluates. */
function batchNormalization(name: string, eps: number, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const inputs = ['gamma', 'beta', 'running_mean', 'running_var'].map((part) => constant(`${name}.${part}`, graph, tensor));
  return graph.node('BatchNormalization', [x, ...inputs], name, [floatAttribute('epsilon', eps)]);
}

function activation(layer: { readonly activation: Activation; readonly slope?: number }, name: string, x: string, graph: OnnxGraphBuilder): string {
  const output = `${name}.${layer.activation}`;
  switch (layer.activation) {
    case 'sigmoid':
      return graph.node('Sigmoid', [x], output);
    case 'tanh':
      return graph.node('Tanh', [x], output);
    case 'relu':
      return graph.node('Relu', [x], output);
    case 'leaky-relu':
      return graph.node('LeakyRelu', [x], output, [floatAttribute('alpha', layer.slope ?? DEFAULT_LEAKY_SLOPE)]);
    case 'softmax':
      return graph.node('Softmax', [x], PROBABILITIES);
  }
}

function constant(name: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const { shape, data } = tensor(name);
  return graph.constant(name, shape, data);
}
