import { Worker } from 'node:worker_threads';

/** Per worker, in the Int32Array of the control block: job number, the job's state, function, whether it sleeps. */
const JOB = 0;
const STATE = 1;
const FUNCTION = 2;
const SLEEPING = 3;
const INTS = 4;
/** A job's state: waiting for a thread, taken by one, finished. */
const OPEN = 0;
const TAKEN = 1;
const DONE = 2;
/** Per worker, in the Float64Array: the arguments (numbers: addresses, sizes, rates), then the result. */
export const MAX_ARGS = 15;
const RESULT = MAX_ARGS;
const FLOATS = MAX_ARGS + 1;
/**
 * How long a thread watches for the next job before sleeping in
 * Atomics.wait: a training step hands out jobs every few tens of
 * microseconds, and waking a sleeping thread costs about as much (by then
 * the main thread has taken the job back), so workers keep watching for a
 * millisecond after each job. The main thread waits for a job a worker has
 * taken the same way.
 */
const SPIN_MS = 1;

/**
 * The worker's whole program: instantiate the kernels on the shared
 * memory, then wait for a new job number, take the job unless the main
 * thread took it first, run it, publish its result, forever (a negative
 * number ends it). Plain JavaScript in a string so the same code runs from
 * dist/ and from the TypeScript sources under test.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ints, floats, slot, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((name) => kernels[name]);
const c = new Int32Array(ints, slot * ${INTS * 4}, ${INTS});
const a = new Float64Array(floats, slot * ${FLOATS * 8}, ${FLOATS});
let seen = 0;
for (;;) {
  let job = Atomics.load(c, ${JOB});
  for (let spin = 1, until = 0; job === seen; spin++) {
    if ((spin & 1023) === 0) {
      const now = performance.now();
      if (until === 0) until = now + ${SPIN_MS};
      else if (now > until) {
        Atomics.store(c, ${SLEEPING}, 1);
        if (Atomics.load(c, ${JOB}) === seen) Atomics.wait(c, ${JOB}, seen);
        Atomics.store(c, ${SLEEPING}, 0);
        until = 0;
      }
    }
    job = Atomics.load(c, ${JOB});
  }
  seen = job;
  if (seen < 0) break;
  if (Atomics.compareExchange(c, ${STATE}, ${OPEN}, ${TAKEN}) !== ${OPEN}) continue;
  a[${RESULT}] = fns[c[${FUNCTION}]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]);
  Atomics.store(c, ${STATE}, ${DONE});
  Atomics.notify(c, ${STATE});
}
`;

/** Runs function number `fn` with an argument list; returns its result. */
export type RunJob = (fn: number, args: Float64Array) => number;

/**
 * Worker threads that run kernel functions on the same shared memory as the
 * main thread. The caller runs one part itself, then for each other part
 * either waits for the worker that took it or, when no worker has taken it
 * yet (its thread is asleep or off the CPU), runs it itself: a loaded
 * machine costs at most the single-thread time. Whoever runs a part, it
 * computes the same numbers. Waiting spins first, then sleeps in
 * Atomics.wait, so the step stays synchronous and nothing is allocated.
 */
export class KernelThreads {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly views: Float64Array[];
  private readonly workers: Worker[];
  private job = 0;

  /** `names`: the functions a job may name, by their index in it. */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, readonly count: number, names: readonly string[]) {
    this.ints = new Int32Array(new SharedArrayBuffer(INTS * 4 * count));
    this.floats = new Float64Array(new SharedArrayBuffer(FLOATS * 8 * count));
    this.views = Array.from({ length: count }, (_, slot) => this.floats.subarray(slot * FLOATS, (slot + 1) * FLOATS));
    for (let slot = 0; slot < count; slot++) this.ints[slot * INTS + STATE] = DONE;
    this.workers = Array.from({ length: count }, (_, slot) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, ints: this.ints.buffer, floats: this.floats.buffer, slot, names },
      });
      worker.unref();
      return worker;
    });
  }

  /** Offers function `fn` with the first `arity` values of `args` to worker `slot`. */
  start(slot: number, fn: number, args: Float64Array, arity: number): void {
    const view = this.views[slot]!;
    for (let i = 0; i < arity; i++) view[i] = args[i]!;
    const base = slot * INTS;
    this.ints[base + FUNCTION] = fn;
    Atomics.store(this.ints, base + STATE, OPEN);
    Atomics.store(this.ints, base + JOB, ++this.job);
    // a spinning worker sees the job by itself; notify (a system call) only wakes a sleeping one
    if (Atomics.load(this.ints, base + SLEEPING) === 1) Atomics.notify(this.ints, base + JOB);
  }

  /** The result of worker `slot`'s job: run here with `run` if no worker has taken it, else waited for. */
  finish(slot: number, run: RunJob): number {
    const base = slot * INTS;
    const view = this.views[slot]!;
    if (Atomics.compareExchange(this.ints, base + STATE, OPEN, TAKEN) === OPEN) {
      const result = run(this.ints[base + FUNCTION]!, view);
      Atomics.store(this.ints, base + STATE, DONE);
      return result;
    }
    for (let spin = 1, until = 0; ; spin++) {
      const state = Atomics.load(this.ints, base + STATE);
      if (state === DONE) return view[RESULT]!;
      if ((spin & 1023) === 0) {
        const now = performance.now();
        if (until === 0) until = now + SPIN_MS;
        else if (now > until) Atomics.wait(this.ints, base + STATE, state, SPIN_MS);
      }
    }
  }

  close(): void {
    for (let slot = 0; slot < this.count; slot++) {
      Atomics.store(this.ints, slot * INTS + JOB, -1);
      Atomics.notify(this.ints, slot * INTS + JOB);
    }
    for (const worker of this.workers) void worker.terminate();
  }
}
