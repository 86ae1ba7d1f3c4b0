// npm run bench: the lesson's network on the bundled MNIST, on this machine.
// Prints a markdown table on stdout, progress on stderr. Needs dist/ (built by npm install).
// Options: --quick (2 epochs, 1 repeat), --repeats N (default 3).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import {
  buildNetwork, bundledMnist, evaluate, LESSON_SETTINGS, loadDataset, minibatch, mlpSpec, normalize, samples, Sgd,
} from '../dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repeats = args.includes('--repeats') ? Number(args[args.indexOf('--repeats') + 1]) : quick ? 1 : 3;
const epochs = quick ? 2 : LESSON_SETTINGS.epochs;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line) => process.stderr.write(`bench: ${line}\n`);

// 1. The whole experiment, each time in a fresh process (wall time includes loading the data),
//    run first, while this process is still small.
const runner = fileURLToPath(new URL('./lesson-run.mjs', import.meta.url));
const wholeRuns = { permutation: [], replacement: [] };
for (let r = 0; r < repeats; r++) {
  for (const sampler of Object.keys(wholeRuns)) {
    const result = JSON.parse(execFileSync(process.execPath, [runner, String(epochs), sampler], { encoding: 'utf8' }));
    wholeRuns[sampler].push(result);
    log(`experiment ${r + 1}/${repeats} (${sampler}): ${result.seconds.toFixed(1)} s, test_acc ${result.test_acc}, peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
  }
}

// 2. Costs of the parts: 600 training steps of batch 100, and scoring all 70,000 images.
const mnist = bundledMnist();
const [train, test] = await Promise.all([loadDataset(mnist.train, { classes: 10 }), loadDataset(mnist.test, { classes: 10 })]);
const network = buildNetwork(mlpSpec(784, [50], 10), { initStd: 0.01, seed: 0 });
const sgd = new Sgd(0.1);
const batches = await lastValueFrom(samples(train).pipe(minibatch({ size: 100 }), normalize(), toArray()));
const stepMs = [];
const evalSeconds = [];
for (let r = 0; r < repeats; r++) {
  let t = performance.now();
  for (const batch of batches) {
    network.computeGradients(batch);
    sgd.update(network.parameters);
  }
  stepMs.push((performance.now() - t) / batches.length);
  t = performance.now();
  for (const set of [train, test]) await lastValueFrom(evaluate(network, samples(set).pipe(minibatch({ size: 1000 }), normalize())));
  evalSeconds.push((performance.now() - t) / 1000);
  log(`parts ${r + 1}/${repeats}: ${stepMs.at(-1).toFixed(3)} ms/step, evaluation ${evalSeconds.at(-1).toFixed(2)} s`);
}

const pick = (runs, key) => median(runs.map((r) => r[key]));
const rows = [
  ['measure', `median of ${repeats}`],
  ['training step, 784-50-10, batch 100', `${median(stepMs).toFixed(3)} ms (${(1000 / median(stepMs)).toFixed(0)} steps/s, ${(100_000 / median(stepMs)).toFixed(0)} samples/s)`],
  ['scoring all 70,000 images (one epoch-end evaluation)', `${median(evalSeconds).toFixed(2)} s`],
];
for (const [sampler, runs] of Object.entries(wholeRuns)) {
  rows.push(
    [`lesson experiment, ${epochs} epochs, --sampler ${sampler}: wall time`, `${pick(runs, 'seconds').toFixed(1)} s`],
    [`lesson experiment, --sampler ${sampler}: peak RSS`, `${pick(runs, 'peak_rss_mb').toFixed(0)} MB`],
    [`lesson experiment, --sampler ${sampler}: final test accuracy`, runs.map((r) => r.test_acc).join(', ')],
  );
}
process.stdout.write(`\nrxnn bench, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`);
rows.forEach((row, i) => {
  process.stdout.write(`| ${row.join(' | ')} |\n`);
  if (i === 0) process.stdout.write('|---|---|\n');
});
