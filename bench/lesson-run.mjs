// One lesson experiment in a process of its own, so its peak RSS is its own:
// prints {"seconds","iterations","test_acc","peak_rss_mb","rss_mb_by_epoch"} as one JSON line
// (RSS after each epoch's evaluation and files, to check that memory stays flat).
// Usage: node bench/lesson-run.mjs EPOCHS SAMPLER [BACKEND]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { lastValueFrom, tap } from 'rxjs';
import { bundledMnist, kernelsFor, LESSON_SETTINGS, loadDataset, presetSettings, trainRun } from '../dist/index.js';
import { peakRssMb } from './peak-rss.mjs';

const started = performance.now();
const [epochs, sampler, backend] = [Number(process.argv[2] ?? LESSON_SETTINGS.run.epochs), process.argv[3] ?? LESSON_SETTINGS.data.sampler, process.argv[4] ?? 'wasm'];
const mnist = bundledMnist();
// as rxnn train does: the kernels first, so the images load where they read them in place
const kernels = kernelsFor(backend, { threads: availableParallelism() });
const loading = { classes: 10, allocate: kernels.allocateBytes };
const [train, test] = await Promise.all([loadDataset(mnist.train, loading), loadDataset(mnist.test, loading)]);
const outDir = await mkdtemp(join(tmpdir(), 'rxnn-bench-'));
const rssByEpoch = [];
const last = await lastValueFrom(
  trainRun({ settings: presetSettings('lesson', { data: { sampler }, run: { epochs } }), train, test, outDir, kernels }).pipe(
    tap((event) => {
      if (event.kind === 'epoch') rssByEpoch.push(Math.round(process.memoryUsage().rss / 1048576));
    }),
  ),
);
if (process.env.RXNN_BENCH_STATUS) process.stderr.write(readFileSync('/proc/self/status', 'utf8').split('\n').filter((l) => /^(Vm|Rss)/.test(l)).join('\n') + '\n');
kernels.close();
await rm(outDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({
  seconds: (performance.now() - started) / 1000,
  iterations: last.iteration,
  test_acc: last.testAccuracy,
  peak_rss_mb: peakRssMb(),
  rss_mb_by_epoch: rssByEpoch,
})}\n`);
