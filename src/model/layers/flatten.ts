import { z } from 'zod';
import type { FloatArray } from '../kernels/kernels.js';
import { shapeSize, type Layer, type LayerKind } from './layer.js';

/** Feature maps as one vector per sample: {"type":"flatten"}. */
export interface FlattenSpec {
  readonly type: 'flatten';
}

/** Samples are stored row-major, so a [c, h, w] sample already is its c·h·w vector: forward and backward pass the values on. */
export class Flatten implements Layer {
  readonly parameters = [];

  forward(x: FloatArray): FloatArray {
    return x;
  }

  backward(dy: FloatArray): FloatArray {
    return dy;
  }
}

export const flattenKind: LayerKind<FlattenSpec> = {
  type: 'flatten',
  schema: z.strictObject({ type: z.literal('flatten') }),
  label: () => 'flatten',
  outputShape: (_spec, input) => [shapeSize(input)],
  tensors: () => [],
  build: () => new Flatten(),
};
