// npm run bench: the lesson's network on the bundled MNIST, on this machine, for each kernel
// backend, and the lesson's experiment in numpy (bench/lesson_numpy.py) when python3 has numpy.
// Prints a markdown table on stdout, progress on stderr. Needs dist/ and wasm/ (built by npm install).
// Options: --quick (2 epochs, 1 repeat), --repeats N (default 3).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import {
  buildNetwork, bundledMnist, evaluate, kernelsFor, LESSON_SETTINGS, loadDataset, minibatch, mlpSpec, normalize, samples, Sgd, trainSteps,
} from '../dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repeats = args.includes('--repeats') ? Number(args[args.indexOf('--repeats') + 1]) : quick ? 1 : 3;
const epochs = quick ? 2 : LESSON_SETTINGS.epochs;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const mnist = bundledMnist();
/** [label, kernel, m, k, n, share of nonzero A values]: MNIST inputs are about 19% nonzero. */
const PRODUCTS = [
  ['lesson forward X·W1, 100x784x50, MNIST-sparse X, dense product', 'matmul', 100, 784, 50, 0.19],
  ['lesson forward X·W1, sparse path (compress X, then S·W1)', 'sparseMatmul', 100, 784, 50, 0.19],
  ['lesson weight gradient Xᵀ·dZ, 784x100x50, dense product', 'matmulTransA', 784, 100, 50, 0.19],
  ['lesson weight gradient Xᵀ·dZ, sparse path', 'sparseMatmulTransA', 784, 100, 50, 0.19],
  ['wide forward, 128x784x1024, dense', 'matmul', 128, 784, 1024, 1],
  ['wide hidden, 128x1024x1024, dense', 'matmul', 128, 1024, 1024, 1],
  ['wide input gradient dZ·Wᵀ, 128x1024x1024, dense', 'matmulTransB', 128, 1024, 1024, 1],
];

// 1. The whole experiment, each time in a fresh process (wall time includes starting Node and
//    loading the data), run first, while this process is still small. The default backend (wasm)
//    with both samplers; the replacement sampler draws batches as the numpy code does.
const runner = fileURLToPath(new URL('./lesson-run.mjs', import.meta.url));
const timed = (command, commandArgs) => {
  const started = performance.now();
  const output = execFileSync(command, commandArgs, { encoding: 'utf8' });
  return { ...JSON.parse(output.trim().split('\n').at(-1)), wall: (performance.now() - started) / 1000 };
};
const wholeRuns = { permutation: [], replacement: [] };
for (let r = 0; r < repeats; r++) {
  for (const sampler of Object.keys(wholeRuns)) {
    const result = timed(process.execPath, [runner, String(epochs), sampler, 'wasm']);
    wholeRuns[sampler].push(result);
    log(`experiment ${r + 1}/${repeats} (wasm, ${sampler}): ${result.wall.toFixed(1)} s, test_acc ${result.test_acc}, peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
  }
}

// 2. The same experiment in numpy, in the same session.
const numpyRuns = [];
const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasNumpy) {
  const script = fileURLToPath(new URL('./lesson_numpy.py', import.meta.url));
  for (let r = 0; r < repeats; r++) {
    const result = timed('python3', [script, dirname(mnist.train.images), String(epochs * 600)]);
    numpyRuns.push(result);
    log(`numpy ${r + 1}/${repeats}: ${result.wall.toFixed(1)} s, test_acc ${result.test_acc}, peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
  }
} else {
  log('python3 with numpy not found: no numpy comparison');
}

// 3. One epoch of a wide network, 784-1024-1024-10 ReLU with Adam, batch 128, in rxnn (wasm) and
//    in numpy float32 (bench/wide_numpy.py), where dense matrix products dominate.
const wideRunner = fileURLToPath(new URL('./wide-run.mjs', import.meta.url));
const wideRuns = { rxnn: [], numpy: [] };
for (let r = 0; r < repeats; r++) {
  const result = timed(process.execPath, [wideRunner, 'wasm']);
  wideRuns.rxnn.push(result);
  log(`wide epoch ${r + 1}/${repeats} (wasm): ${result.wall.toFixed(1)} s, test_acc ${result.test_acc}, peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
  if (hasNumpy) {
    const numpy = timed('python3', [fileURLToPath(new URL('./wide_numpy.py', import.meta.url)), dirname(mnist.train.images)]);
    wideRuns.numpy.push(numpy);
    log(`wide epoch ${r + 1}/${repeats} (numpy float32): ${numpy.wall.toFixed(1)} s, test_acc ${numpy.test_acc}`);
  }
}

// 4. Costs of the parts per backend: 600 training steps of batch 100, scoring all 70,000 images,
//    and the matrix products alone at the lesson's and a wide network's shapes.
const [train, test] = await Promise.all([loadDataset(mnist.train, { classes: 10 }), loadDataset(mnist.test, { classes: 10 })]);
const images = await lastValueFrom(samples(train).pipe(minibatch({ size: 100 }), toArray()));
const parts = {};
const threads = availableParallelism();
const CONFIGS = [['ts', 1], ['wasm', 1], ...(threads > 1 ? [['wasm', threads]] : [])];
for (const [backend, count] of CONFIGS) {
  const name = backend === 'ts' ? 'ts' : `wasm, ${count} thread${count === 1 ? '' : 's'}`;
  const kernels = kernelsFor(backend, { threads: count });
  const network = buildNetwork(mlpSpec(784, [50], 10), { initStd: 0.01, seed: 0, kernels });
  const sgd = new Sgd(0.1, kernels);
  // As training runs them: batches normalized into reused arrays (in the kernels' memory), then the step with its divergence guard.
  const batchArrays = { reuse: true, kernels };
  const epoch = () => lastValueFrom(from(images).pipe(normalize(undefined, batchArrays), trainSteps(network, sgd)));
  const scoring = [train, test].map((set) => samples(set).pipe(minibatch({ size: 1000 }), normalize(undefined, batchArrays)));
  parts[name] = { stepMs: [], evalSeconds: [], gflops: {} };
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    await epoch();
    parts[name].stepMs.push((performance.now() - t) / images.length);
    t = performance.now();
    for (const batches of scoring) await lastValueFrom(evaluate(network, batches));
    parts[name].evalSeconds.push((performance.now() - t) / 1000);
    log(`${name} parts ${r + 1}/${repeats}: ${parts[name].stepMs.at(-1).toFixed(3)} ms/step, evaluation ${parts[name].evalSeconds.at(-1).toFixed(2)} s`);
  }
  for (const [label, product, m, k, n, density] of PRODUCTS) {
    parts[name].gflops[label] = median(Array.from({ length: repeats }, () => gflops(kernels, product, m, k, n, density)));
  }
  kernels.close();
}

/** Operands in the kernels' memory, as the network's are; sparse products include compressing A each time. */
function gflops(kernels, product, m, k, n, density) {
  const array = (length, value) => {
    const out = kernels.allocate('float32', length);
    for (let i = 0; i < length; i++) out[i] = value(i);
    return out;
  };
  const a = array(m * k, (i) => (((i * 2654435761) % 1000) / 1000 < density ? Math.sin(i) : 0));
  const b = array(k * n, (i) => Math.cos(i));
  const c = array(m * n, () => 0);
  const sparse = kernels.sparseMatrix();
  const run = {
    sparseMatmul: () => kernels.compress(a, m, k, sparse, 1) && kernels.sparseMatmul(sparse, b, c, n),
    // A stored [k×m]: the data, Xᵀ·dZ
    sparseMatmulTransA: () => kernels.compress(a, k, m, sparse, 1) && kernels.sparseMatmulTransA(sparse, b, c, n),
  }[product] ?? (() => kernels[product](a, b, c, m, k, n));
  const reps = Math.max(3, Math.round(4e8 / (2 * m * k * n)));
  const t = performance.now();
  for (let r = 0; r < reps; r++) run();
  return (2 * m * k * n * reps) / ((performance.now() - t) / 1000) / 1e9;
}

const rows = [['measure', `median of ${repeats}`]];
for (const [backend, p] of Object.entries(parts)) {
  rows.push(
    [`${backend}: training step, 784-50-10, batch 100`, `${median(p.stepMs).toFixed(3)} ms (${(1000 / median(p.stepMs)).toFixed(0)} steps/s, ${(100_000 / median(p.stepMs)).toFixed(0)} samples/s)`],
    [`${backend}: scoring all 70,000 images`, `${median(p.evalSeconds).toFixed(2)} s`],
    ...Object.entries(p.gflops).map(([name, value]) => [`${backend}: ${name}`, `${value.toFixed(2)} GFLOP/s`]),
  );
}
for (const [sampler, runs] of Object.entries(wholeRuns)) {
  rows.push(
    [`lesson experiment (wasm), ${epochs} epochs, --sampler ${sampler}: wall time`, `${median(runs.map((r) => r.wall)).toFixed(1)} s`],
    [`lesson experiment (wasm), --sampler ${sampler}: peak RSS`, `${median(runs.map((r) => r.peak_rss_mb)).toFixed(0)} MB (target 200 MB)`],
    [`lesson experiment (wasm), --sampler ${sampler}: final test accuracy`, runs.map((r) => r.test_acc).join(', ')],
  );
  const rss = runs.map((r) => r.rss_mb_by_epoch);
  if (rss[0].length >= 2) {
    const growth = median(rss.map((byEpoch) => byEpoch.at(-1) / byEpoch[1]));
    rows.push([
      `lesson experiment (wasm), --sampler ${sampler}: RSS after epoch ${rss[0].length} / after epoch 2`,
      `${growth.toFixed(3)} (${rss.map((byEpoch) => `${byEpoch[1]} -> ${byEpoch.at(-1)} MB`).join(', ')}; target within 10%)`,
    ]);
  }
}
if (numpyRuns.length > 0) {
  const numpyWall = median(numpyRuns.map((r) => r.wall));
  const rxnnWall = median(wholeRuns.replacement.map((r) => r.wall));
  rows.push(
    [`numpy (bench/lesson_numpy.py, float64), ${epochs * 600} steps: wall time`, `${numpyWall.toFixed(1)} s`],
    ['numpy: peak RSS', `${median(numpyRuns.map((r) => r.peak_rss_mb)).toFixed(0)} MB`],
    ['numpy: final test accuracy', numpyRuns.map((r) => r.test_acc).join(', ')],
    ['rxnn (wasm, replacement) / numpy wall time', `${(rxnnWall / numpyWall).toFixed(2)}x (target 0.25x)`],
  );
}
{
  const rxnnWall = median(wideRuns.rxnn.map((r) => r.wall));
  rows.push(
    ['wide 784-1024-1024-10 ReLU Adam, batch 128, 1 epoch (wasm): wall time', `${rxnnWall.toFixed(1)} s`],
    ['wide epoch (wasm): peak RSS, test accuracy', `${median(wideRuns.rxnn.map((r) => r.peak_rss_mb)).toFixed(0)} MB, ${wideRuns.rxnn.map((r) => r.test_acc).join(', ')}`],
  );
  if (wideRuns.numpy.length > 0) {
    const numpyWall = median(wideRuns.numpy.map((r) => r.wall));
    rows.push(
      ['wide epoch, numpy float32 (bench/wide_numpy.py): wall time', `${numpyWall.toFixed(1)} s`],
      ['wide epoch, numpy: peak RSS, test accuracy', `${median(wideRuns.numpy.map((r) => r.peak_rss_mb)).toFixed(0)} MB, ${wideRuns.numpy.map((r) => r.test_acc).join(', ')}`],
      ['rxnn (wasm) / numpy float32, wide epoch wall time', `${(rxnnWall / numpyWall).toFixed(2)}x (target 1.0x)`],
    );
  }
}
process.stdout.write(`\nrxnn bench, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores, wasm kernels: ${kernelsFor('wasm').description}\n\n`);
rows.forEach((row, i) => {
  process.stdout.write(`| ${row.join(' | ')} |\n`);
  if (i === 0) process.stdout.write('|---|---|\n');
});
