import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import type { DType } from '../core/dtype.js';
import { defaultInitFor, type InitSpec } from './init.js';
import type { Kernels } from './kernels/kernels.js';
import { tsKernels } from './kernels/ts-kernels.js';
import type { Layer } from './layers/layer.js';
import { placeLayers, type ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { SoftmaxCrossEntropy } from './softmax-cross-entropy.js';

export interface BuildOptions {
  /** How weights start; biases start at zero. Default: N(0, initStd²) if given, else defaultInitFor the first activation. */
  readonly init?: InitSpec;
  readonly initStd?: number;
  readonly seed: number;
  readonly weightDecay?: number;
  readonly kernels?: Kernels;
  readonly dtype?: DType;
}

/**
 * Builds the network a spec describes, each layer by its kind. Weights are
 * drawn in layer order from the seed's init stream; the k-th layer that
 * draws in training (dropout) gets the seed's k-th dropout stream.
 */
export function buildNetwork(spec: ModelSpec, options: BuildOptions): Network {
  const placed = placeLayers(spec);
  const kernels = options.kernels ?? tsKernels;
  const dtype = options.dtype ?? 'float32';
  const initRandom = Random.derive(options.seed, RandomStream.init);
  const init = options.init ?? (options.initStd !== undefined ? { kind: 'normal', std: options.initStd } : defaultInit(spec));
  const layers: Layer[] = [];
  let streams = 0;
  placed.forEach((layer, i) => {
    const built = layer.kind.build(layer.spec, {
      input: layer.input,
      output: layer.output,
      name: layer.name ?? '',
      kernels,
      dtype,
      inputGradient: layers.some((l) => l.parameters.length > 0),
      takesData: i === 0,
      previous: layers.at(-1),
      init,
      initRandom,
      trainingRandom: () => Random.derive(options.seed, RandomStream.dropout, streams++),
    });
    if (built !== undefined) layers.push(built);
  });
  const classes = placed.at(-1)!.output[0]!;
  return new Network(spec, layers, new SoftmaxCrossEntropy(classes, kernels, dtype), kernels, { weightDecay: options.weightDecay });
}

/** The usual init for the network's first activation (the lesson's for none). */
function defaultInit(spec: ModelSpec): InitSpec {
  const first = spec.layers.find((layer) => layer.type === 'activation');
  return defaultInitFor(first?.type === 'activation' ? first.function : 'sigmoid');
}
