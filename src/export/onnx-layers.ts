import { DEFAULT_LEAKY_SLOPE, type ActivationSpec } from '../model/layers/activation.js';
import type { PlacedLayer } from '../model/model-spec.js';
import { floatAttribute, intsAttribute, type OnnxGraphBuilder } from './onnx-graph-builder.js';

/** A trained tensor by its checkpoint name (`dense.0.weight`, `dense.0.bn.running_mean`, ...). */
export type TensorLookup = (name: string) => { readonly shape: readonly number[]; readonly data: ArrayLike<number> };

/** The graph's output: the softmax of the last layer. */
export const PROBABILITIES = 'probabilities';

/**
 * Appends the evaluation-mode nodes of one placed layer after value `x`;
 * returns the name of its output. One case per layer kind.
 */
export function exportLayer(layer: PlacedLayer, index: number, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const { spec } = layer;
  const name = layer.name ?? `layer.${index}`;
  switch (spec.type) {
    case 'dense':
      return gemm(name, x, graph, tensor);
    case 'batch-norm':
      return batchNormalization(name, spec.eps, x, graph, tensor);
    case 'activation':
      return activation(spec, `${name}.${spec.function}`, x, graph);
    // inverted dropout is the identity at evaluation
    case 'dropout':
      return x;
    case 'flatten':
      return graph.node('Flatten', [x], name);
    case 'conv2d':
      return conv(name, spec.kernel, spec.stride ?? 1, spec.padding ?? 0, x, graph, tensor);
    case 'max-pool':
      return graph.node('MaxPool', [x], name, windowAttributes(spec.size, spec.stride ?? spec.size, 0));
    case 'avg-pool':
      return graph.node('AveragePool', [x], name, windowAttributes(spec.size, spec.stride ?? spec.size, 0));
  }
}

/** The class probabilities of the last layer's scores. */
export function softmax(x: string, graph: OnnxGraphBuilder): string {
  return graph.node('Softmax', [x], PROBABILITIES);
}

/** y = x · W + b, with W stored [in × out] as rxnn does. */
function gemm(name: string, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const [weight, bias] = [`${name}.weight`, `${name}.bias`].map((n) => constant(n, graph, tensor)) as [string, string];
  return graph.node('Gemm', [x, weight, bias], name);
}

/** ONNX's Conv takes the weights [out, in, kh, kw] as rxnn stores them. */
function conv(name: string, size: number, stride: number, padding: number, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const [weight, bias] = [`${name}.weight`, `${name}.bias`].map((n) => constant(n, graph, tensor)) as [string, string];
  return graph.node('Conv', [x, weight, bias], name, windowAttributes(size, stride, padding));
}

function windowAttributes(size: number, stride: number, padding: number) {
  return [intsAttribute('kernel_shape', [size, size]), intsAttribute('strides', [stride, stride]), intsAttribute('pads', [padding, padding, padding, padding])];
}

/** ONNX's BatchNormalization with the running statistics: gamma · (x - mean) / sqrt(var + eps) + beta, as rxnn evaluates. */
function batchNormalization(name: string, eps: number, x: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const inputs = ['gamma', 'beta', 'running_mean', 'running_var'].map((part) => constant(`${name}.${part}`, graph, tensor));
  return graph.node('BatchNormalization', [x, ...inputs], name, [floatAttribute('epsilon', eps)]);
}

function activation(spec: ActivationSpec, output: string, x: string, graph: OnnxGraphBuilder): string {
  switch (spec.function) {
    case 'sigmoid':
      return graph.node('Sigmoid', [x], output);
    case 'tanh':
      return graph.node('Tanh', [x], output);
    case 'relu':
      return graph.node('Relu', [x], output);
    case 'leaky-relu':
      return graph.node('LeakyRelu', [x], output, [floatAttribute('alpha', spec.slope ?? DEFAULT_LEAKY_SLOPE)]);
  }
}

function constant(name: string, graph: OnnxGraphBuilder, tensor: TensorLookup): string {
  const { shape, data } = tensor(name);
  return graph.constant(name, shape, data);
}
