import { allocate as allocatePlain, type Allocate, type DType } from '../core/dtype.js';
import type { FloatArray } from './kernels/kernels.js';

/** A named tensor a model keeps (checkpoints save them by name). */
export interface StateTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: FloatArray;
}

/** A trainable tensor and its gradient, side by side. */
export class Parameter implements StateTensor {
  readonly value: FloatArray;
  readonly grad: FloatArray;

  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    dtype: DType,
    allocate: Allocate = allocatePlain,
  ) {
    const size = shape.reduce((a, b) => a * b, 1);
    this.value = allocate(dtype, size);
    this.grad = allocate(dtype, size);
  }

  get size(): number {
    return this.value.length;
  }
}
