import { Worker } from 'node:worker_threads';

/** The functions workers can run, by number; their arguments are i32s (addresses and sizes). */
export const KERNEL_FUNCTIONS = ['gemm', 'gemmTransB', 'sparseGemm', 'sparseGemmTransA'] as const;
export type KernelFunction = (typeof KERNEL_FUNCTIONS)[number];

/** Per worker in the control array: [job number, job number done, function, arguments...]. */
const SLOT = 16;
const JOB = 0;
const DONE = 1;
const FUNCTION = 2;
const ARGS = 3;

/**
 * The worker's whole program: instantiate the kernels on the shared memory,
 * then wait for a job number, run the job, publish its number, forever (a
 * negative number ends it). Plain JavaScript in a string so the same code
 * runs from dist/ and from the TypeScript sources under test.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((name) => kernels[name]);
const c = new Int32Array(control);
const base = slot * ${SLOT};
let seen = 0;
for (;;) {
  Atomics.wait(c, base + ${JOB}, seen);
  seen = Atomics.load(c, base + ${JOB});
  if (seen < 0) break;
  const a = base + ${ARGS};
  fns[c[base + ${FUNCTION}]](c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9]);
  Atomics.store(c, base + ${DONE}, seen);
  Atomics.notify(c, base + ${DONE});
}
`;

/**
 * Worker threads that run kernel functions on the same shared memory as the
 * main thread. The caller runs one part itself and waits (Atomics.wait, so
 * the step stays synchronous and nothing is allocated per call) for the others.
 */
export class KernelThreads {
  private readonly control: Int32Array;
  private readonly workers: Worker[];
  private job = 0;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, readonly count: number) {
    this.control = new Int32Array(new SharedArrayBuffer(SLOT * 4 * count));
    this.workers = Array.from({ length: count }, (_, slot) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: this.control.buffer, slot, names: KERNEL_FUNCTIONS },
      });
      worker.unref();
      return worker;
    });
  }

  /** Begins a round of jobs: `finish` waits for the jobs started after this. */
  nextRound(): void {
    this.job++;
  }

  /** Starts function `fn` on worker `slot` with the first `arity` values of `args` (i32s). */
  start(slot: number, fn: number, args: Int32Array, arity: number): void {
    const { control } = this;
    const base = slot * SLOT;
    control[base + FUNCTION] = fn;
    for (let i = 0; i < arity; i++) control[base + ARGS + i] = args[i]!;
    Atomics.store(control, base + JOB, this.job);
    Atomics.notify(control, base + JOB);
  }

  /** Waits until worker `slot` has finished the current round's job. */
  finish(slot: number): void {
    const { control } = this;
    const index = slot * SLOT + DONE;
    for (;;) {
      const done = Atomics.load(control, index);
      if (done === this.job) return;
      Atomics.wait(control, index, done);
    }
  }

  close(): void {
    for (let slot = 0; slot < this.count; slot++) {
      Atomics.store(this.control, slot * SLOT + JOB, -1);
      Atomics.notify(this.control, slot * SLOT + JOB);
    }
    for (const worker of this.workers) void worker.terminate();
  }
}
