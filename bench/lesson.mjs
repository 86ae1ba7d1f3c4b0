// npm run bench: rxnn against numpy on this machine, side by side in one run, and where a lesson
// step's time goes. Prints markdown tables on stdout (the README's performance section is one such
// run), progress on stderr. Needs dist/ and wasm/ (built by npm install); the numpy rows need
// python3 with numpy. Options: --quick (one round instead of three, no TypeScript-kernel rows).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledMnist, kernelsFor, PRESETS } from '../dist/index.js';
import { epochGflop } from './conv-flops.mjs';
import { binNodeFlags } from './bin-node-flags.mjs';
import { productGflops } from './products.mjs';
import { profileLessonSteps } from './step-profile.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = quick ? 1 : 3;
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const idxDir = dirname(bundledMnist().train.images);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const fixed = (x, digits = 1) => x.toFixed(digits);
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** Runs a command to its end; wall seconds, its last stdout line as JSON, and the `bench: key value` lines of stderr. */
function timed(command, commandArgs) {
  const started = performance.now();
  const run = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (${run.status}): ${run.stderr.slice(-500)}`);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1));
  for (const [, key, value] of run.stderr.matchAll(/^bench: (\S+) (.+)$/gm)) report[key] = JSON.parse(value);
  return { ...report, wall };
}

/** A Python script run with its peak RSS reported (the lesson's own code prints none). */
function timedPython(script, scriptArgs) {
  const wrapper = `import resource, runpy, sys
sys.argv = ${JSON.stringify([script, ...scriptArgs])}
runpy.run_path(sys.argv[0], run_name='__main__')
sys.stderr.write('bench: peak_rss_mb %.1f\\n' % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))`;
  return timed('python3', ['-c', wrapper]);
}

// 1. Whole processes, alternated round by round so that a slow moment of the machine falls on all.
const runs = { rxnn: [], reference: [], port: [], wide: [], wideNumpy: [] };
for (let round = 1; round <= rounds; round++) {
  const out = mkdtempSync(join(tmpdir(), 'rxnn-bench-'));
  const rxnn = timed(process.execPath, [...binNodeFlags, here('./cli-run.mjs'), 'train', '--sampler', 'replacement', '--quiet', '--out', join(out, 'run')]);
  rmSync(out, { recursive: true, force: true });
  runs.rxnn.push(rxnn);
  log(`round ${round}: rxnn train (lesson) ${fixed(rxnn.wall)} s, test_acc ${rxnn.test_acc}, peak RSS ${fixed(rxnn.peak_rss_mb, 0)} MB`);
  if (hasNumpy) {
    const reference = timedPython(here('./lesson_reference.py'), [idxDir, '10000']);
    runs.reference.push(reference);
    log(`round ${round}: the lesson's numpy code ${fixed(reference.wall)} s, test_acc ${reference.test_acc}`);
    const port = timed('python3', [here('./lesson_numpy.py'), idxDir, '10200']);
    runs.port.push(port);
    log(`round ${round}: numpy port ${fixed(port.wall)} s, test_acc ${port.test_acc}`);
  }
  const wide = timed(process.execPath, [here('./wide-run.mjs'), 'wasm']);
  runs.wide.push(wide);
  log(`round ${round}: rxnn wide epoch ${fixed(wide.wall)} s, test_acc ${wide.test_acc}`);
  if (hasNumpy) {
    const wideNumpy = timed('python3', [here('./wide_numpy.py'), idxDir]);
    runs.wideNumpy.push(wideNumpy);
    log(`round ${round}: numpy float32 wide epoch ${fixed(wideNumpy.wall)} s, test_acc ${wideNumpy.test_acc}`);
  }
}

// 1b. One epoch of the cnn preset's network (augmentation off, as in its numpy port), once: about a minute each.
const convOut = mkdtempSync(join(tmpdir(), 'rxnn-bench-'));
const conv = timed(process.execPath, [...binNodeFlags, here('./cli-run.mjs'), 'train', '--preset', 'cnn', '--epochs', '1', '--augment-shift', '0', '--quiet', '--out', join(convOut, 'run')]);
rmSync(convOut, { recursive: true, force: true });
const convGflop = epochGflop(PRESETS.cnn.model.layers);
log(`rxnn conv epoch ${fixed(conv.wall)} s, test_acc ${conv.test_acc}, ${fixed(convGflop / conv.wall)} GFLOP/s`);
const convNumpy = hasNumpy ? timed('python3', [here('./conv_numpy.py'), idxDir, '1']) : undefined;
if (convNumpy !== undefined) log(`numpy conv epoch ${fixed(convNumpy.wall)} s, test_acc ${convNumpy.test_acc}, ${fixed(convNumpy.gflop / convNumpy.wall)} GFLOP/s`);

// 2. Parts, in this process: where a lesson step's time goes, scoring, and the products' GFLOP/s.
const threads = availableParallelism();
const profiles = [];
for (const [simd, count] of [['auto', 1], ['auto', threads], ['plain', 1]]) {
  const profile = await profileLessonSteps({ threads: count, simd, epochs: quick ? 1 : 2 });
  profiles.push(profile);
  log(`${profile.description}: ${fixed(profile.totalMs, 3)} ms per step, scoring ${fixed(profile.scoringSeconds, 3)} s`);
}
const PRODUCTS = [
  ['128×1024×1024 A·B (wide hidden layer)', 'matmul', 128, 1024, 1024],
  ['128×1024×1024 A·Bᵀ (its input gradient)', 'matmulTransB', 128, 1024, 1024],
  ['1024×128×1024 Aᵀ·B (its weight gradient)', 'matmulTransA', 1024, 128, 1024],
  ['100×784×50 S·W, MNIST-sparse S (lesson forward)', 'sparseMatmul', 100, 784, 50],
  ['784×100×50 Sᵀ·dZ, MNIST-sparse S (lesson weight gradient)', 'sparseMatmulTransA', 784, 100, 50],
];
const products = [];
for (const [simd, count] of [['plain', 1], ['relaxed', 1], ['auto', threads]]) {
  const kernels = kernelsFor('wasm', { simd, threads: count });
  products.push({ description: kernels.description, gflops: PRODUCTS.map(([, product, m, k, n]) => median(Array.from({ length: rounds }, () => productGflops(kernels, product, m, k, n)))) });
  kernels.close();
}
const tsProfile = quick ? undefined : await profileLessonSteps({ backend: 'ts', epochs: 1 });

// 3. Tables.
const lessonWall = median(runs.rxnn.map((r) => r.wall));
const rows = [['measure', rounds === 1 ? 'one run' : `median of ${rounds}`, 'target']];
rows.push([`rxnn: the lesson (\`rxnn train --sampler replacement\`, whole process, ${threads} threads)`, `${fixed(lessonWall)} s, test_acc ${runs.rxnn.map((r) => r.test_acc).join(', ')}`, '']);
if (runs.reference.length > 0) {
  const wall = median(runs.reference.map((r) => r.wall));
  rows.push(["the lesson's numpy code (bench/lesson_reference.py, 10,000 steps, whole process)", `${fixed(wall)} s, test_acc ${runs.reference.map((r) => r.test_acc).join(', ')}`, '']);
  rows.push(['rxnn / the lesson\'s numpy code, wall time', `**${fixed(lessonWall / wall, 2)}x**`, '≤ 0.25x']);
  rows.push(['numpy port (bench/lesson_numpy.py, 10,200 steps)', `${fixed(median(runs.port.map((r) => r.wall)))} s, test_acc ${runs.port.map((r) => r.test_acc).join(', ')}`, '']);
}
rows.push(['rxnn lesson: peak RSS', `**${fixed(median(runs.rxnn.map((r) => r.peak_rss_mb)), 0)} MB**`, '≤ 160 MB']);
if (runs.reference.length > 0) rows.push(["the lesson's numpy code: peak RSS", `${fixed(median(runs.reference.map((r) => r.peak_rss_mb)), 0)} MB`, '']);
const flat = runs.rxnn.map((r) => r.rss_mb_by_epoch).filter((byEpoch) => byEpoch.length >= 2);
if (flat.length > 0) {
  const growth = median(flat.map((byEpoch) => byEpoch.at(-1) / byEpoch[1]));
  rows.push(['rxnn lesson: RSS after the last epoch / after epoch 2', `**${fixed(growth, 3)}** (${flat.map((b) => `${b[1]} → ${b.at(-1)} MB`).join(', ')})`, 'within 10%']);
}
const wideWall = median(runs.wide.map((r) => r.wall));
rows.push(['rxnn: one wide epoch (784-1024-1024-10 ReLU, Adam, batch 128, whole process)', `${fixed(wideWall)} s, test_acc ${runs.wide.map((r) => r.test_acc).join(', ')}, ${fixed(median(runs.wide.map((r) => r.peak_rss_mb)), 0)} MB`, '']);
if (runs.wideNumpy.length > 0) {
  const wall = median(runs.wideNumpy.map((r) => r.wall));
  rows.push(['numpy float32 (bench/wide_numpy.py), the same epoch', `${fixed(wall)} s, test_acc ${runs.wideNumpy.map((r) => r.test_acc).join(', ')}, ${fixed(median(runs.wideNumpy.map((r) => r.peak_rss_mb)), 0)} MB`, '']);
  rows.push(['rxnn / numpy float32, wide epoch', `**${fixed(wideWall / wall, 2)}x**`, '≤ 1.2x']);
}
const convLabel = 'one epoch of the cnn preset\'s network (no augmentation; 60,000 images trained, 70,000 scored; whole process)';
rows.push([`rxnn: ${convLabel}`, `${fixed(conv.wall)} s, ${fixed(convGflop / conv.wall)} GFLOP/s, test_acc ${conv.test_acc}, ${fixed(conv.peak_rss_mb, 0)} MB`, '']);
if (convNumpy !== undefined) {
  rows.push(['numpy float32 im2col port (bench/conv_numpy.py), the same epoch', `${fixed(convNumpy.wall)} s, ${fixed(convNumpy.gflop / convNumpy.wall)} GFLOP/s, test_acc ${convNumpy.test_acc}, ${fixed(convNumpy.peak_rss_mb, 0)} MB`, '']);
  rows.push(['rxnn / numpy float32, conv epoch', `**${fixed(conv.wall / convNumpy.wall, 2)}x**`, '']);
}
for (const profile of profiles) {
  rows.push([`${profile.description}: scoring all 70,000 images`, `**${fixed(profile.scoringSeconds, 3)} s**`, '≤ 0.06 s']);
}
for (const { description, gflops } of products) {
  PRODUCTS.forEach(([label], i) => {
    const target = i === 0 && description.includes('1 thread') ? (description.includes('relaxed') ? '' : '≥ 20 (one core, plain)') : '';
    rows.push([`${description}: ${label}`, `${fixed(gflops[i])} GFLOP/s`, target]);
  });
}
if (tsProfile !== undefined) rows.push([`TypeScript kernels: lesson step; scoring 70,000 images`, `${fixed(tsProfile.totalMs, 3)} ms; ${fixed(tsProfile.scoringSeconds, 2)} s`, '']);

const table = (header, body) => {
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const row of body) process.stdout.write(`| ${row.join(' | ')} |\n`);
};
process.stdout.write(`\nrxnn bench, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${threads} cores\n\n`);
table(rows[0], rows.slice(1));
process.stdout.write(`\nWhere a lesson step's time goes (${quick ? 1 : 2} epochs of batch 100 through the real operators, after one to warm up):\n\n`);
table(['', ...profiles.map((p) => p.description)], [
  ...profiles[0].rows.map(([group], i) => [group, ...profiles.map((p) => `${fixed(p.rows[i][1] * 1000)} µs (${fixed((100 * p.rows[i][1]) / p.totalMs, 0)}%)`)]),
  ['a whole step', ...profiles.map((p) => `${fixed(p.totalMs * 1000)} µs`)],
]);
