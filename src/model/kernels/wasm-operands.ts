import type { WasmHeap } from './wasm-heap.js';

type View = Float32Array | Int32Array | Uint8Array;

/** Up to this many values are copied one by one rather than through a new view (which allocates). */
const LOOP_COPY = 1024;

/** A scratch region of the heap with a view of each element type over all of it. */
interface Region {
  bytes: Uint8Array;
  floats: Float32Array;
  ints: Int32Array;
}

/** An operand of this call copied into a region: copied back over [from, to) at `end` (to 0: read only). */
interface Staged {
  array: View;
  copy: View;
  from: number;
  to: number;
}

/**
 * The addresses a kernel call passes: arrays that live in the kernels'
 * memory are used in place; others are copied into scratch regions of it
 * for the call, and the ones the call writes are copied back at `end`.
 * Nothing is allocated per call once the regions have grown.
 */
export class WasmOperands {
  private readonly regions: Region[] = [];
  private used = 0;
  private readonly staged: Staged[] = [];
  private count = 0;

  constructor(private readonly heap: WasmHeap) {}

  begin(): void {
    this.used = 0;
    this.count = 0;
  }

  /** The address of the first `length` values of `array` for reading. */
  input(array: Float32Array, length: number): number {
    return this.place(array, length, true);
  }

  /** The address of `array` for writing its values [from, length); copied back at `end` when staged. */
  output(array: Float32Array, length: number, from = 0): number {
    const address = this.place(array, length, false);
    this.copyBack(array, from, length);
    return address;
  }

  /** `array`, passed to `input` in this call, is also written: copy its first `length` values back at `end`. */
  writesBack(array: View, length: number): void {
    this.copyBack(array, 0, length);
  }

  ints(array: Int32Array, length: number): number {
    return this.place(array, length, true);
  }

  bytes(array: Uint8Array): number {
    return this.place(array, array.length, true);
  }

  end(): void {
    for (let i = 0; i < this.count; i++) {
      const { array, copy, from, to } = this.staged[i]!;
      if (to - from > LOOP_COPY) array.set(copy.subarray(from, to), from);
      else for (let j = from; j < to; j++) array[j] = copy[j]!;
    }
  }

  private copyBack(array: View, from: number, to: number): void {
    for (let i = 0; i < this.count; i++) {
      const entry = this.staged[i]!;
      if (entry.array === array) {
        entry.from = from;
        entry.to = to;
      }
    }
  }

  private place(array: View, length: number, read: boolean): number {
    if (this.heap.owns(array)) return array.byteOffset;
    const region = this.region(length * array.BYTES_PER_ELEMENT);
    const copy = array instanceof Float32Array ? region.floats : array instanceof Int32Array ? region.ints : region.bytes;
    if (read) {
      if (array.length === length) copy.set(array);
      else if (length > LOOP_COPY) copy.set(array.subarray(0, length));
      else for (let i = 0; i < length; i++) copy[i] = array[i]!;
    }
    if (this.staged.length <= this.count) this.staged.push({ array, copy, from: 0, to: 0 });
    const entry = this.staged[this.count++]!;
    entry.array = array;
    entry.copy = copy;
    entry.from = 0;
    entry.to = 0;
    return copy.byteOffset;
  }

  /** The next unused region of this call, at least `bytes` long. */
  private region(bytes: number): Region {
    if (this.regions.length <= this.used) this.regions.push(this.regionOf(0));
    let region = this.regions[this.used]!;
    if (region.bytes.length < bytes) region = this.regions[this.used] = this.regionOf(Math.max(bytes, 2 * region.bytes.length));
    this.used++;
    return region;
  }

  private regionOf(bytes: number): Region {
    const length = Math.ceil(bytes / 4) * 4;
    const block = this.heap.bytes(length);
    return {
      bytes: block,
      floats: new Float32Array(block.buffer, block.byteOffset, length / 4),
      ints: new Int32Array(block.buffer, block.byteOffset, length / 4),
    };
  }
}
