// npm run bench:stream: trains one epoch on a 1,000,000-image IDX file streamed from disk
// (--stream --shuffle-buffer 10000) and reports the trainer's peak resident memory (target: under 250 MB).
// The file is MNIST's 60,000 training images repeated with small shifts (784 MB), built once in
// $TMPDIR/rxnn-bench-stream and reused. Options: --images N (default 1000000), --epochs N (default 1).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binNodeFlags } from './bin-node-flags.mjs';
import { bundledMnist, encodeIdx, readIdxFile } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const count = option('--images', 1_000_000);
const epochs = option('--epochs', 1);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

const dir = join(tmpdir(), 'rxnn-bench-stream');
const images = join(dir, `train-${count}-images-idx3-ubyte`);
const labels = join(dir, `train-${count}-labels-idx1-ubyte`);
await mkdir(dir, { recursive: true });
if ((await stat(images).catch(() => undefined))?.size !== 16 + count * 784) await buildData();

const out = join(dir, 'run');
await rm(out, { recursive: true, force: true });
const runner = fileURLToPath(new URL('./cli-run.mjs', import.meta.url));
const trainArgs = ['train', '--train-images', images, '--train-labels', labels, '--stream', '--shuffle-buffer', '10000', '--epochs', String(epochs), '--out', out];
log(`rxnn ${trainArgs.join(' ')}`);
const started = performance.now();
const child = spawn(process.execPath, [...binNodeFlags, runner, ...trainArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let peak = NaN;
child.stdout.on('data', (chunk) => (stdout += chunk));
child.stderr.on('data', (chunk) => {
  const text = String(chunk);
  const match = /bench: peak_rss_mb ([\d.]+)/.exec(text);
  if (match) peak = Number(match[1]);
  process.stderr.write(text);
});
const [status] = await once(child, 'close');
if (status !== 0) throw new Error(`rxnn train exited ${status}`);
const summary = JSON.parse(stdout);
const seconds = (performance.now() - started) / 1000;
await rm(out, { recursive: true, force: true });

process.stdout.write(
  [
    '| measure | value |',
    '|---|---|',
    `| training images (streamed, ${(count * 784 / 2 ** 20).toFixed(0)} MB of pixels) | ${count} |`,
    `| epochs, steps | ${summary.epochs}, ${summary.iterations} |`,
    `| wall time (incl. checking the file, evaluating ${count + 10000} images per epoch) | ${seconds.toFixed(1)} s |`,
    `| peak RSS of the trainer | ${peak.toFixed(0)} MB (target < 250 MB) |`,
    `| test_acc | ${summary.test_acc} |`,
  ].join('\n') + '\n',
);
if (!(peak < 250)) process.exitCode = 1;

/** MNIST's training set repeated: copy k shifts every image by one of the 9 offsets (dx, dy) in {-1, 0, 1}². */
async function buildData() {
  log(`building ${count} images in ${dir} (once)`);
  const mnist = bundledMnist();
  const [source, sourceLabels] = await Promise.all([readIdxFile(mnist.train.images), readIdxFile(mnist.train.labels)]);
  const n = source.dims[0];
  const labelBytes = new Uint8Array(count);
  const file = createWriteStream(images);
  file.write(encodeIdx('ubyte', [count, 28, 28], []));
  const block = 10_000;
  for (let start = 0; start < count; start += block) {
    const rows = Math.min(block, count - start);
    const chunk = new Uint8Array(rows * 784);
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      const copy = Math.floor(i / n);
      const dx = (copy % 3) - 1;
      const dy = (Math.floor(copy / 3) % 3) - 1;
      const image = source.data.subarray((i % n) * 784, (i % n + 1) * 784);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const sx = x - dx;
          const sy = y - dy;
          chunk[r * 784 + y * 28 + x] = copy === 0 || (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) ? image[(copy === 0 ? y : sy) * 28 + (copy === 0 ? x : sx)] : 0;
        }
      }
      labelBytes[r + start] = sourceLabels.data[i % n];
    }
    if (!file.write(chunk)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  const labelFile = createWriteStream(labels);
  labelFile.end(encodeIdx('ubyte', [count], labelBytes));
  await once(labelFile, 'finish');
}
