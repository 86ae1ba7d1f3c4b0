import { Random } from '../random/random.js';
import { RandomStream } from '../random/streams.js';
import type { DType } from './dtype.js';
import { normalInit, zerosInit, type Initializer } from './init.js';
import type { Kernels } from './kernels/kernels.js';
import { tsKernels } from './kernels/ts-kernels.js';
import { Dense } from './layers/dense.js';
import type { Layer } from './layers/layer.js';
import { Sigmoid } from './layers/sigmoid.js';
import { checkModelSpec, type ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { SoftmaxCrossEntropy } from './softmax-cross-entropy.js';

export interface BuildOptions {
  /** Weights are drawn from N(0, initStd²); biases start at zero. */
  readonly initStd: number;
  readonly seed: number;
  readonly kernels?: Kernels;
  readonly dtype?: DType;
}

/**
 * Builds the network a spec describes. Dense layers are named `dense.{i}`;
 * their weights are drawn in layer order from the seed's init stream.
 */
export function buildNetwork(spec: ModelSpec, options: BuildOptions): Network {
  checkModelSpec(spec);
  const kernels = options.kernels ?? tsKernels;
  const dtype = options.dtype ?? 'float32';
  const random = Random.derive(options.seed, RandomStream.init);
  const weightInit: Initializer = normalInit(options.initStd);
  const layers: Layer[] = [];
  let width = spec.input;
  spec.layers.forEach((layerSpec, i) => {
    const dense = new Dense(width, layerSpec.units, { name: `dense.${i}`, kernels, dtype, inputGradient: i > 0 });
    weightInit(dense.weight.value, random);
    zerosInit(dense.bias.value, random);
    layers.push(dense);
    width = layerSpec.units;
    if (layerSpec.activation === 'sigmoid') layers.push(new Sigmoid(width, kernels, dtype));
  });
  return new Network(spec, layers, new SoftmaxCrossEntropy(width, kernels, dtype), kernels);
}
