import type { FloatArray } from './kernels/kernels.js';

/** float32 for training; float64 for exact gradient checks. */
export type DType = 'float32' | 'float64';

/** Where a layer's arrays come from: `Kernels.allocate`, or plain typed arrays. */
export type Allocate = (dtype: DType, length: number) => FloatArray;

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}
