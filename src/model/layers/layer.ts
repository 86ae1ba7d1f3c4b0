import type { z } from 'zod';
import type { Random } from '../../core/random.js';
import type { DType } from '../../core/dtype.js';
import type { InitSpec } from '../init.js';
import type { ActivationFunction, FloatArray, Kernels, SparseMatrix } from '../kernels/kernels.js';
import type { Parameter, StateTensor } from '../parameter.js';

/** Training uses batch statistics and drops units; evaluation uses running statistics and keeps them all. */
export type Mode = 'train' | 'eval';

/** The shape of one sample as it flows between layers: [784] for a vector, [1, 28, 28] for a one-channel image. */
export type Shape = readonly number[];

/**
 * One step of a network. `forward` keeps what `backward` needs; `backward`
 * takes the gradient of the loss with respect to the output, fills the
 * gradients of the parameters, and returns the gradient with respect to the
 * input (or undefined when nobody needs it). Returned arrays belong to the
 * layer and are valid until its next call.
 */
export interface Layer {
  readonly parameters: readonly Parameter[];
  /** Values the layer keeps that are not trained by gradients (batch norm's running statistics); saved in checkpoints. */
  readonly state?: readonly StateTensor[];
  /** The generator the layer draws from in training (dropout), if any. */
  readonly random?: Random;
  forward(x: FloatArray, rows: number, mode: Mode): FloatArray;
  /** Forward from the non-zeros of the input (a batch's, made without its dense form), for layers that can start from them. */
  forwardSparse?(input: SparseMatrix, rows: number, mode: Mode): FloatArray;
  backward(dy: FloatArray, rows: number): FloatArray | undefined;
  /**
   * Takes over an element-wise activation that follows it, computing it in
   * its own passes (dense: with the bias); false when it cannot.
   */
  absorbActivation?(f: ActivationFunction): boolean;
}

/** A tensor a layer holds, named relative to the layer (`weight`, `running_mean`). */
export interface LayerTensor {
  readonly name: string;
  readonly shape: Shape;
  /** Trained (an optimizer keeps slots for it), as opposed to a running statistic. */
  readonly parameter: boolean;
}

/** How layers holding tensors get their names: numbered per stem, in layer order. */
export interface LayerNames {
  /** `{stem}.{n}`, n counting the layers that took this stem before. */
  next(stem: string): string;
  /** The name of the last layer before this one that holds tensors. */
  readonly previous: string | undefined;
}

/** What building one layer needs besides its spec. */
export interface BuildContext {
  readonly input: Shape;
  readonly output: Shape;
  /** The layer's name (for layers holding tensors): its tensors are `{name}.{tensor}`. */
  readonly name: string;
  readonly kernels: Kernels;
  readonly dtype: DType;
  /** False while no layer before this one has parameters: nobody needs the gradient of its input. */
  readonly inputGradient: boolean;
  /** The layer's input is the batch itself (it may start from the batch's non-zeros). */
  readonly takesData: boolean;
  /** The layer built just before, if any. */
  readonly previous: Layer | undefined;
  /** How weights start, and the one generator every layer draws its initial weights from, in layer order. */
  readonly init: InitSpec;
  readonly initRandom: Random;
  /** The layer's own generator for training (dropout masks); only for kinds with `drawsInTraining`. */
  readonly trainingRandom: () => Random;
}

/**
 * Everything rxnn knows about one kind of layer, in one place: the fields of
 * its spec (as checkpoint metadata stores them, checked by `schema`), how it
 * transforms a sample's shape, the tensors it holds and how it is built. A
 * kind is registered in layer-kinds.ts.
 */
export interface LayerKind<S extends { readonly type: string }> {
  readonly type: S['type'];
  /** The spec's fields and their ranges; checks specs built in code and read from files alike. */
  readonly schema: z.ZodType<S>;
  /** How errors and banners name the layer, e.g. `dense:50`. */
  label(spec: S): string;
  /** The output shape for an input of shape `input`; throws an Error saying what does not fit. */
  outputShape(spec: S, input: Shape): Shape;
  /** The tensors the layer holds for an input of shape `input` (none for most). */
  tensors(spec: S, input: Shape): readonly LayerTensor[];
  /** Its name among the layers (only asked of kinds that hold tensors). */
  name?(spec: S, names: LayerNames): string;
  /** Values per sample of the largest buffer the layer works in besides its output (a convolution's im2col matrix), if larger. */
  workValues?(spec: S, input: Shape): number;
  /** Draws from a generator of its own in training (dropout): checkpoints save its state. */
  readonly drawsInTraining?: boolean;
  /** The layer; undefined when the layer before took it over (see Layer.absorbActivation). */
  build(spec: S, context: BuildContext): Layer | undefined;
}

/** The number of values in a sample of this shape. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The shape every layer that works on a vector of values requires: a vector. */
export function vectorWidth(input: Shape): number {
  if (input.length !== 1) throw new Error(`needs a vector of values, got a [${input.join(', ')}] input`);
  return input[0]!;
}
