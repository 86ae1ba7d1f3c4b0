import type { FloatArray } from '../kernels/kernels.js';
import type { Parameter } from '../parameter.js';

/**
 * An optimizer's per-parameter state (velocity, moment estimates), kept by
 * parameter name and slot name, zero until first used.
 */
export class Slots {
  private readonly arrays = new Map<string, FloatArray>();

  get(parameter: Parameter, slot: string): FloatArray {
    const key = `${parameter.name}.${slot}`;
    let array = this.arrays.get(key);
    if (array === undefined) {
      array = parameter.value instanceof Float64Array ? new Float64Array(parameter.size) : new Float32Array(parameter.size);
      this.arrays.set(key, array);
    } else if (array.length !== parameter.size) {
      throw new RangeError(`slot ${key} holds ${array.length} values, the parameter has ${parameter.size}`);
    }
    return array;
  }

  /** Every slot as `{parameter}.{slot}` (e.g. `dense.0.weight.m`), for checkpoints. */
  entries(): [string, FloatArray][] {
    return [...this.arrays.entries()];
  }

  /** Replaces every slot with a copy of the given ones (slots not given start again at zero). */
  restore(entries: readonly (readonly [string, FloatArray])[]): void {
    this.arrays.clear();
    for (const [key, array] of entries) this.arrays.set(key, array.slice());
  }
}
