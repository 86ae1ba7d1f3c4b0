/** float32 for training; float64 for exact gradient checks. */
export type DType = 'float32' | 'float64';

export type FloatArray = Float32Array | Float64Array;

/** Where a layer's arrays come from: `Kernels.allocate`, or plain typed arrays. */
export type Allocate = (dtype: DType, length: number) => FloatArray;

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** A named array and its shape: a parameter as checkpoints store it. */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: FloatArray;
}
