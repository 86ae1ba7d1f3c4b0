import { Random } from '../random/random.js';
import { RandomStream } from '../random/streams.js';
import type { DType } from './dtype.js';
import { defaultInitFor, weightInit, zerosInit, type InitSpec } from './init.js';
import type { Kernels } from './kernels/kernels.js';
import { tsKernels } from './kernels/ts-kernels.js';
import { BatchNorm } from './layers/batch-norm.js';
import { Dense } from './layers/dense.js';
import { Dropout } from './layers/dropout.js';
import type { Layer } from './layers/layer.js';
import { LeakyRelu } from './layers/leaky-relu.js';
import { Sigmoid } from './layers/sigmoid.js';
import { Tanh } from './layers/tanh.js';
import { checkModelSpec, DEFAULT_LEAKY_SLOPE, type DenseSpec, type ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { SoftmaxCrossEntropy } from './softmax-cross-entropy.js';

export interface BuildOptions {
  /** How dense weights start; biases start at zero. Default: N(0, initStd²) if given, else defaultInitFor the hidden activation. */
  readonly init?: InitSpec;
  readonly initStd?: number;
  readonly seed: number;
  readonly weightDecay?: number;
  readonly kernels?: Kernels;
  readonly dtype?: DType;
}

/**
 * Builds the network a spec describes. Dense layers are named `dense.{i}`
 * (batch norm `dense.{i}.bn`); their weights are drawn in layer order from
 * the seed's init stream, and layer i's dropout masks from its own stream.
 */
export function buildNetwork(spec: ModelSpec, options: BuildOptions): Network {
  checkModelSpec(spec);
  const kernels = options.kernels ?? tsKernels;
  const dtype = options.dtype ?? 'float32';
  const random = Random.derive(options.seed, RandomStream.init);
  const init = options.init ?? (options.initStd !== undefined ? { kind: 'normal', std: options.initStd } : defaultInit(spec));
  const layers: Layer[] = [];
  let width = spec.input;
  spec.layers.forEach((layerSpec, i) => {
    const dense = new Dense(width, layerSpec.units, { name: `dense.${i}`, kernels, dtype, inputGradient: i > 0 });
    weightInit(init, width, layerSpec.units)(dense.weight.value, random);
    zerosInit(dense.bias.value, random);
    layers.push(dense);
    width = layerSpec.units;
    if (layerSpec.batchNorm !== undefined) {
      layers.push(new BatchNorm(width, { name: `dense.${i}.bn`, ...layerSpec.batchNorm, kernels, dtype }));
    }
    const activation = activationLayer(layerSpec, width, kernels, dtype);
    if (activation !== undefined) layers.push(activation);
    if (layerSpec.dropout !== undefined && layerSpec.dropout > 0) {
      layers.push(new Dropout(width, layerSpec.dropout, Random.derive(options.seed, RandomStream.dropout, i), kernels, dtype));
    }
  });
  return new Network(spec, layers, new SoftmaxCrossEntropy(width, kernels, dtype), kernels, { weightDecay: options.weightDecay });
}

function activationLayer(spec: DenseSpec, width: number, kernels: Kernels, dtype: DType): Layer | undefined {
  switch (spec.activation) {
    case 'sigmoid':
      return new Sigmoid(width, kernels, dtype);
    case 'tanh':
      return new Tanh(width, kernels, dtype);
    case 'relu':
      return new LeakyRelu(width, 0, kernels, dtype);
    case 'leaky-relu':
      return new LeakyRelu(width, spec.slope ?? DEFAULT_LEAKY_SLOPE, kernels, dtype);
    case 'softmax':
      return undefined; // fused into the loss
  }
}

function defaultInit(spec: ModelSpec): InitSpec {
  const hidden = spec.layers[0]!.activation;
  return defaultInitFor(hidden === 'softmax' ? 'sigmoid' : hidden);
}
