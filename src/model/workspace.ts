import { allocate as allocatePlain, type Allocate, type DType } from '../core/dtype.js';
import type { FloatArray } from './kernels/kernels.js';

/**
 * A buffer a layer reuses from step to step, grown only when a larger batch
 * arrives, so the hot path does not allocate.
 */
export class Workspace {
  private buffer: FloatArray;
  private view: FloatArray;

  constructor(
    private readonly dtype: DType,
    private readonly allocate: Allocate = allocatePlain,
  ) {
    this.buffer = allocate(dtype, 0);
    this.view = this.buffer;
  }

  /** The first `length` values (contents unspecified). */
  take(length: number): FloatArray {
    if (this.buffer.length < length) this.buffer = this.allocate(this.dtype, length);
    if (this.view.length !== length || this.view.buffer !== this.buffer.buffer) {
      this.view = this.buffer.subarray(0, length);
    }
    return this.view;
  }
}
