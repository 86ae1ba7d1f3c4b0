// Where a training step's time goes: wraps a kernels object so that every call is timed, runs
// epochs of the lesson through the real operators (normalize with reused arrays, trainSteps with
// its divergence guard), and splits the wall time into kernel groups and the rest (RxJS, samples,
// JavaScript between the calls). Used by bench/lesson.mjs; also runnable alone:
//   node bench/step-profile.mjs [THREADS] [SIMD]
import { lastValueFrom } from 'rxjs';
import {
  buildNetwork, bundledMnist, SPARSE_MAX_DENSITY, evaluate, kernelsFor, loadDataset, minibatch, mlpSpec, normalize, samples, sampleWithReplacement, Sgd, trainSteps,
} from '../dist/index.js';

const GROUPS = {
  'sparse products (compress, S·W, Sᵀ·dZ)': ['compress', 'compressBytes', 'sparseMatmul', 'sparseMatmulTransA'],
  'dense products': ['matmul', 'matmulTransA', 'matmulTransB'],
  'element-wise (bias + activation, backward, softmax, sums)': [
    'biasActivate', 'activationBackward', 'sumRows', 'softmaxCrossEntropy', 'countCorrect', 'multiply', 'dropout', 'columnMoments', 'batchNormalize', 'batchNormBackward',
  ],
  'normalize (gather + convert the batch)': ['gatherBytes', 'bytesToFloats'],
  'update and guard (optimizer step, finiteness)': ['update', 'axpy', 'countNonFinite'],
};

/** A kernels object that adds each call's wall time to `spent[name]`. */
export function timedKernels(kernels, spent) {
  const timed = Object.create(kernels);
  for (const name of Object.values(GROUPS).flat()) {
    const f = kernels[name].bind(kernels);
    spent[name] = 0;
    timed[name] = (...args) => {
      const t = performance.now();
      const result = f(...args);
      spent[name] += performance.now() - t;
      return result;
    };
  }
  timed.allocate = kernels.allocate.bind(kernels);
  timed.allocateBytes = kernels.allocateBytes.bind(kernels);
  timed.close = kernels.close.bind(kernels);
  timed.sparseMatrix = kernels.sparseMatrix.bind(kernels);
  return timed;
}

/** Milliseconds per step in each group, over `epochs` epochs of the lesson (batch 100, replacement sampler). */
export async function profileLessonSteps({ backend = 'wasm', threads = 1, simd = 'auto', epochs = 2 } = {}) {
  const base = kernelsFor(backend, { threads, simd });
  const spent = {};
  const kernels = timedKernels(base, spent);
  const mnist = bundledMnist();
  const [train, test] = await Promise.all([
    loadDataset(mnist.train, { classes: 10, allocate: base.allocateBytes }),
    loadDataset(mnist.test, { classes: 10, allocate: base.allocateBytes }),
  ]);
  const network = buildNetwork(mlpSpec(784, [50], 10), { initStd: 0.01, seed: 0, kernels });
  const sgd = new Sgd(0.1, kernels);
  const reuse = { reuse: true, allocator: kernels, sparse: SPARSE_MAX_DENSITY };
  const epoch = () => lastValueFrom(samples(train).pipe(sampleWithReplacement({ seed: 0 }), minibatch({ size: 100 }), normalize(undefined, reuse), trainSteps(network, sgd)));
  await epoch(); // warm up: compile, grow the buffers
  for (const name of Object.keys(spent)) spent[name] = 0;
  const started = performance.now();
  for (let e = 0; e < epochs; e++) await epoch();
  const steps = epochs * Math.ceil(train.count / 100);
  const total = (performance.now() - started) / steps;
  const rows = Object.entries(GROUPS).map(([group, names]) => [group, names.reduce((sum, name) => sum + spent[name], 0) / steps]);
  const perKernel = Object.entries(spent).filter(([, ms]) => ms > 0).map(([name, ms]) => [name, ms / steps]);
  rows.push(['the rest (RxJS, samples and batches, JavaScript between kernel calls)', total - rows.reduce((sum, [, ms]) => sum + ms, 0)]);
  // scoring: the epoch-end evaluation of all 70,000 images
  for (const name of Object.keys(spent)) spent[name] = 0;
  const scoring = [train, test].map((set) => samples(set).pipe(minibatch({ size: 1000 }), normalize(undefined, reuse)));
  for (const batches of scoring) await lastValueFrom(evaluate(network, batches)); // warm up
  const t = performance.now();
  for (const batches of scoring) await lastValueFrom(evaluate(network, batches));
  const scoringSeconds = (performance.now() - t) / 1000;
  const scoringKernels = Object.entries(spent).filter(([, ms]) => ms > 0).map(([name, ms]) => [name, ms / 1000]);
  base.close();
  return { totalMs: total, rows, perKernel, scoringSeconds, scoringKernels, description: base.description };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await profileLessonSteps({ threads: Number(process.argv[2] ?? 1), simd: process.argv[3] ?? 'auto', epochs: 3 });
  console.log(`${result.description}: ${result.totalMs.toFixed(3)} ms per step; scoring 70,000 images ${result.scoringSeconds.toFixed(3)} s`);
  for (const [group, ms] of result.rows) console.log(`  ${(ms * 1000).toFixed(1).padStart(7)} µs  ${(100 * ms / result.totalMs).toFixed(0).padStart(3)}%  ${group}`);
  if (process.argv.includes('--kernels')) {
    console.log('per kernel, per step:');
    for (const [name, ms] of result.perKernel) console.log(`  ${(ms * 1000).toFixed(1).padStart(7)} µs  ${name}`);
    console.log('scoring, per kernel:');
    for (const [name, s] of result.scoringKernels) console.log(`  ${(s * 1000).toFixed(1).padStart(7)} ms  ${name}`);
  }
}
