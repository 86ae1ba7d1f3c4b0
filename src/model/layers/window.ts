import { z } from 'zod';
import type { DType } from '../../core/dtype.js';
import type { FloatArray, Kernels, WindowGeometry } from '../kernels/kernels.js';
import { Workspace } from '../workspace.js';
import type { Layer, LayerKind, Shape } from './layer.js';

/** A pooling layer: no parameters; its geometry, kernels and the buffers of its output and input gradient. */
export abstract class PoolLayer implements Layer {
  readonly parameters = [];
  protected readonly output: Workspace;
  protected readonly dx: Workspace;

  constructor(
    readonly geometry: WindowGeometry,
    protected readonly kernels: Kernels,
    dtype: DType,
  ) {
    this.output = new Workspace(dtype, kernels.allocate);
    this.dx = new Workspace(dtype, kernels.allocate);
  }

  abstract forward(x: FloatArray, rows: number): FloatArray;
  abstract backward(dy: FloatArray, rows: number): FloatArray;
}

/** The [channels, height, width] of an input the window layers (conv2d, pooling) require. */
export function imageShape(input: Shape): readonly [number, number, number] {
  if (input.length !== 3) throw new Error(`needs a [channels, height, width] input, got a [${input.join(', ')}] input`);
  return [input[0]!, input[1]!, input[2]!];
}

/**
 * Where a window of `size` moving every `stride` pixels over the input,
 * padded by `padding` zeros, lands: the positions that fit whole (as
 * PyTorch counts them, rounding down). Throws when not even one fits.
 */
export function windowGeometry(input: Shape, size: number, stride: number, padding: number, what: string): WindowGeometry {
  const [channels, height, width] = imageShape(input);
  const paddedHeight = height + 2 * padding;
  const paddedWidth = width + 2 * padding;
  if (size > paddedHeight || size > paddedWidth) {
    throw new Error(`${what} ${size} is larger than the ${padding > 0 ? 'padded ' : ''}input ${paddedHeight}x${paddedWidth}`);
  }
  return {
    channels, height, width, size, stride, padding,
    outHeight: Math.floor((paddedHeight - size) / stride) + 1,
    outWidth: Math.floor((paddedWidth - size) / stride) + 1,
  };
}

/**
 * A pooling window's geometry, refusing an input the windows do not tile
 * exactly (pixels that no window would see), e.g. `input 7x7 is not
 * divisible by 2`.
 */
export function poolGeometry(input: Shape, size: number, stride: number): WindowGeometry {
  const g = windowGeometry(input, size, stride, 0, 'window');
  const { height, width } = g;
  if (stride === size && (height % size !== 0 || width % size !== 0)) throw new Error(`input ${height}x${width} is not divisible by ${size}`);
  if ((height - size) % stride !== 0 || (width - size) % stride !== 0) {
    throw new Error(`input ${height}x${width} is not covered by windows of ${size} every ${stride} pixels (the size minus ${size} must be divisible by ${stride})`);
  }
  return g;
}

/** The output shape [channels, outHeight, outWidth] of a window layer giving `channels` maps. */
export function outputShapeOf(g: WindowGeometry, channels: number): Shape {
  return [channels, g.outHeight, g.outWidth];
}

/** The spec of a pooling layer: size × size windows every `stride` pixels (default: size). */
/** Pooling over size × size windows every `stride` pixels (default: size), e.g. {"type":"max-pool","size":2}. */
export interface PoolSpec<T extends string = string> {
  readonly type: T;
  readonly size: number;
  readonly stride?: number;
}

/**
 * A pooling kind (max-pool, avg-pool): on [channels, height, width] whose
 * windows tile it exactly, holding no tensors; named `max-pool:2`,
 * `avg-pool:3 stride 2` in messages.
 */
export function poolKind<S extends PoolSpec>(type: S['type'], make: (g: WindowGeometry, kernels: Kernels, dtype: DType) => Layer): LayerKind<S> {
  const geometry = (spec: S, input: Shape): WindowGeometry => poolGeometry(input, spec.size, spec.stride ?? spec.size);
  const schema = z.strictObject({ type: z.literal(type), size: z.int().positive(), stride: z.int().positive().optional() });
  return {
    type,
    schema: schema as unknown as z.ZodType<S>,
    label: (spec) => `${spec.type}:${spec.size}${spec.stride !== undefined && spec.stride !== spec.size ? ` stride ${spec.stride}` : ''}`,
    outputShape: (spec, input) => outputShapeOf(geometry(spec, input), input[0]!),
    tensors: () => [],
    build: (spec, context) => make(geometry(spec, context.input), context.kernels, context.dtype),
  };
}
