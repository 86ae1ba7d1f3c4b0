import { allocate as allocatePlain, type Allocate } from '../../core/dtype.js';
import type { FloatArray } from '../kernels/kernels.js';
import type { Parameter } from '../parameter.js';

/**
 * An optimizer's per-parameter state (velocity, moment estimates), kept by
 * parameter name and slot name, zero until first used, in arrays from
 * `allocate` (the kernels' memory, so updates run in place).
 */
export class Slots {
  private readonly arrays = new Map<string, FloatArray>();
  /** Each parameter's slots in the order asked for, so a step looks nothing up by name. */
  private readonly byParameter = new Map<Parameter, FloatArray[]>();

  constructor(private readonly allocate: Allocate = allocatePlain) {}

  get(parameter: Parameter, slot: string): FloatArray {
    const key = `${parameter.name}.${slot}`;
    let array = this.arrays.get(key);
    if (array === undefined) {
      array = this.allocate(parameter.value instanceof Float64Array ? 'float64' : 'float32', parameter.size);
      this.arrays.set(key, array);
    } else if (array.length !== parameter.size) {
      throw new RangeError(`slot ${key} holds ${array.length} values, the parameter has ${parameter.size}`);
    }
    return array;
  }

  /** The parameter's slots named `names`, in that order (made on first use). */
  of(parameter: Parameter, names: readonly string[]): readonly FloatArray[] {
    let arrays = this.byParameter.get(parameter);
    if (arrays === undefined) {
      arrays = names.map((name) => this.get(parameter, name));
      this.byParameter.set(parameter, arrays);
    }
    return arrays;
  }

  /** Every slot as `{parameter}.{slot}` (e.g. `dense.0.weight.m`), for checkpoints. */
  entries(): [string, FloatArray][] {
    return [...this.arrays.entries()];
  }

  /** Replaces every slot with a copy of the given ones (slots not given start again at zero). */
  restore(entries: readonly (readonly [string, FloatArray])[]): void {
    this.arrays.clear();
    this.byParameter.clear();
    for (const [key, array] of entries) {
      const copy = this.allocate(array instanceof Float64Array ? 'float64' : 'float32', array.length);
      copy.set(array);
      this.arrays.set(key, copy);
    }
  }
}
