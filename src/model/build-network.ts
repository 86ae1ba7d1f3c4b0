import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import type { DType } from '../core/dtype.js';
import { defaultInitFor, weightInit, zerosInit, type InitSpec } from './init.js';
import type { ActivationFunction, Kernels } from './kernels/kernels.js';
import { tsKernels } from './kernels/ts-kernels.js';
import { ActivationLayer } from './layers/activation.js';
import { BatchNorm } from './layers/batch-norm.js';
import { Dense } from './layers/dense.js';
import { Dropout } from './layers/dropout.js';
import type { Layer } from './layers/layer.js';
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
    const f = activationOf(layerSpec);
    // Without batch norm between them, the activation runs in the dense layer's bias pass.
    const fused = layerSpec.batchNorm === undefined;
    const dense = new Dense(width, layerSpec.units, {
      name: `dense.${i}`, kernels, dtype, inputGradient: i > 0, ...(fused && f !== undefined ? { activation: f } : {}),
    });
    weightInit(init, width, layerSpec.units)(dense.weight.value, random);
    zerosInit(dense.bias.value, random);
    layers.push(dense);
    width = layerSpec.units;
    if (layerSpec.batchNorm !== undefined) {
      layers.push(new BatchNorm(width, { name: `dense.${i}.bn`, ...layerSpec.batchNorm, kernels, dtype }));
    }
    if (!fused && f !== undefined) layers.push(new ActivationLayer(width, f, kernels, dtype));
    if (layerSpec.dropout !== undefined && layerSpec.dropout > 0) {
      layers.push(new Dropout(width, layerSpec.dropout, Random.derive(options.seed, RandomStream.dropout, i), kernels, dtype));
    }
  });
  return new Network(spec, layers, new SoftmaxCrossEntropy(width, kernels, dtype), kernels, { weightDecay: options.weightDecay });
}

/** The activation after a dense layer; undefined for the output layer, whose softmax is part of the loss. */
function activationOf(spec: DenseSpec): ActivationFunction | undefined {
  switch (spec.activation) {
    case 'sigmoid':
    case 'tanh':
      return { kind: spec.activation };
    case 'relu':
      return { kind: 'leaky-relu', slope: 0 };
    case 'leaky-relu':
      return { kind: 'leaky-relu', slope: spec.slope ?? DEFAULT_LEAKY_SLOPE };
    case 'softmax':
      return undefined;
  }
}

function defaultInit(spec: ModelSpec): InitSpec {
  const hidden = spec.layers[0]!.activation;
  return defaultInitFor(hidden === 'softmax' ? 'sigmoid' : hidden);
}
