const PAGE = 65536;
/** Cache-line alignment for every array (the SIMD loads need 16 bytes at least). */
const ALIGN = 64;
/** Kernels may read (never write) up to this many bytes past an array's end (a sparse product reads up to 19 floats past a row). */
const OVERREAD = 256;
/** The module's static data (a small table) lies in the first page. */
const HEAP_START = PAGE;
/** The most a wasm32 memory can hold: 65536 pages, 4 GiB. */
export const MAX_PAGES = 65536;

/**
 * Arrays inside a shared WebAssembly.Memory, handed out once and never
 * given back (buffers are sized once per shape). A shared memory's buffer
 * is never detached when it grows, so every view stays valid.
 */
export class WasmHeap {
  readonly memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  private top = HEAP_START;
  private readonly buffers = new Set<ArrayBufferLike>([this.memory.buffer]);

  /** A zeroed Float32Array of `length` values in the memory. */
  floats(length: number): Float32Array {
    const address = this.reserve(length * 4);
    return new Float32Array(this.memory.buffer, address, length);
  }

  /** A zeroed Int32Array of `length` values in the memory. */
  ints(length: number): Int32Array {
    const address = this.reserve(length * 4);
    return new Int32Array(this.memory.buffer, address, length);
  }

  /** A zeroed Uint8Array of `length` bytes in the memory. */
  bytes(length: number): Uint8Array {
    const address = this.reserve(length);
    return new Uint8Array(this.memory.buffer, address, length);
  }

  /** True when `array` is a view of this memory (its byteOffset is then its address). */
  owns(array: ArrayBufferView): boolean {
    return this.buffers.has(array.buffer);
  }

  private reserve(bytes: number): number {
    const address = this.top;
    this.top = Math.ceil((address + bytes + OVERREAD) / ALIGN) * ALIGN;
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) {
      const pages = Math.ceil(missing / PAGE);
      if (this.memory.buffer.byteLength / PAGE + pages > MAX_PAGES) throw new RangeError('wasm kernels: out of memory (4 GiB)');
      this.memory.grow(pages);
      this.buffers.add(this.memory.buffer);
    }
    return address;
  }
}
