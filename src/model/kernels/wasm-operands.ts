import type { WasmHeap } from './wasm-heap.js';

type View = Float32Array | Int32Array | Uint8Array;

/**
 * The addresses a kernel call passes: arrays that live in the kernels'
 * memory are used in place; others are copied into scratch regions of it
 * for the call, and the ones the call writes are copied back at `end`.
 * Nothing is allocated per call once the regions have grown.
 */
export class WasmOperands {
  private readonly regions: Uint8Array[] = [];
  private used = 0;
  /** Staged arrays of this call: the array, its copy, and the range [from, to) to copy back (to 0: read only). */
  private readonly staged: { array: View; copy: View; from: number; to: number }[] = [];
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
      if (to > from) array.set(copy.subarray(from, to), from);
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
    const bytes = length * array.BYTES_PER_ELEMENT;
    if (this.regions.length <= this.used) this.regions.push(this.heap.bytes(0));
    let region = this.regions[this.used]!;
    if (region.length < bytes) region = this.regions[this.used] = this.heap.bytes(Math.max(bytes, region.length * 2));
    this.used++;
    const Type = array.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => View;
    const copy = new Type(region.buffer, region.byteOffset, length);
    if (read) copy.set(array.length === length ? array : array.subarray(0, length));
    if (this.staged.length <= this.count) this.staged.push({ array, copy, from: 0, to: 0 });
    else Object.assign(this.staged[this.count]!, { array, copy, from: 0, to: 0 });
    this.count++;
    return copy.byteOffset;
  }
}
