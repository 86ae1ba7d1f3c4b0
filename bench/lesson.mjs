// npm run bench: the lesson's network on the bundled MNIST, on this machine, for each kernel
// backend, and the lesson's experiment in numpy (bench/lesson_numpy.py) when python3 has numpy.
// Prints a markdown table on stdout, progress on stderr. Needs dist/ and wasm/ (built by npm install).
// Options: --quick (2 epochs, 1 repeat), --repeats N (default 3).
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import {
  BACKENDS, buildNetwork, bundledMnist, evaluate, kernelsFor, LESSON_SETTINGS, loadDataset, minibatch, mlpSpec, normalize, samples, Sgd,
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
  ['lesson forward X·W1, 100x784x50, MNIST-sparse X', 'matmul', 100, 784, 50, 0.19],
  ['lesson weight gradient Xᵀ·dZ, 784x100x50, MNIST-sparse X', 'matmulTransA', 784, 100, 50, 0.19],
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
const batches = await lastValueFrom(samples(train).pipe(minibatch({ size: 100 }), normalize(), toArray()));
const parts = {};
for (const backend of BACKENDS) {
  const kernels = kernelsFor(backend);
  const network = buildNetwork(mlpSpec(784, [50], 10), { initStd: 0.01, seed: 0, kernels });
  const sgd = new Sgd(0.1, kernels);
  parts[backend] = { stepMs: [], evalSeconds: [], gflops: {} };
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    for (const batch of batches) {
      network.computeGradients(batch);
      sgd.update(network.parameters);
    }
    parts[backend].stepMs.push((performance.now() - t) / batches.length);
    t = performance.now();
    for (const set of [train, test]) await lastValueFrom(evaluate(network, samples(set).pipe(minibatch({ size: 1000 }), normalize())));
    parts[backend].evalSeconds.push((performance.now() - t) / 1000);
    log(`${backend} parts ${r + 1}/${repeats}: ${parts[backend].stepMs.at(-1).toFixed(3)} ms/step, evaluation ${parts[backend].evalSeconds.at(-1).toFixed(2)} s`);
  }
  for (const [name, product, m, k, n, density] of PRODUCTS) {
    parts[backend].gflops[name] = median(Array.from({ length: repeats }, () => gflops(kernels, product, m, k, n, density)));
  }
}

function gflops(kernels, product, m, k, n, density) {
  const a = new Float32Array(m * k).map((_, i) => ((i * 2654435761) % 1000) / 1000 < density ? Math.sin(i) : 0);
  const b = new Float32Array(k * n).map((_, i) => Math.cos(i));
  const c = new Float32Array(m * n);
  const reps = Math.max(3, Math.round(4e8 / (2 * m * k * n)));
  const t = performance.now();
  for (let r = 0; r < reps; r++) kernels[product](a, b, c, m, k, n);
  return (2 * m * k * n * reps) / ((performance.now() - t) / 1000) / 1e9;
}

const rows = [['measure', `median of ${repeats}`]];
for (const backend of BACKENDS) {
  const p = parts[backend];
  rows.push(
    [`${backend}: training step, 784-50-10, batch 100`, `${median(p.stepMs).toFixed(3)} ms (${(1000 / median(p.stepMs)).toFixed(0)} steps/s, ${(100_000 / median(p.stepMs)).toFixed(0)} samples/s)`],
    [`${backend}: scoring all 70,000 images`, `${median(p.evalSeconds).toFixed(2)} s`],
    ...Object.entries(p.gflops).map(([name, value]) => [`${backend}: ${name}`, `${value.toFixed(2)} GFLOP/s`]),
  );
}
for (const [sampler, runs] of Object.entries(wholeRuns)) {
  rows.push(
    [`lesson experiment (wasm), ${epochs} epochs, --sampler ${sampler}: wall time`, `${median(runs.map((r) => r.wall)).toFixed(1)} s`],
    [`lesson experiment (wasm), --sampler ${sampler}: peak RSS`, `${median(runs.map((r) => r.peak_rss_mb)).toFixed(0)} MB`],
    [`lesson experiment (wasm), --sampler ${sampler}: final test accuracy`, runs.map((r) => r.test_acc).join(', ')],
  );
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
process.stdout.write(`\nrxnn bench, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`);
rows.forEach((row, i) => {
  process.stdout.write(`| ${row.join(' | ')} |\n`);
  if (i === 0) process.stdout.write('|---|---|\n');
});
