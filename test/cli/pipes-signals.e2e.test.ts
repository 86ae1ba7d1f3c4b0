import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledMnist, encodeIdx, readIdxFile } from '../../src/index.js';
import { cachedPath } from '../../src/sources/download-cache.js';
import { serveBytes, stallAfter, startLoopbackServer, type LoopbackServer } from '../helpers/http-server.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { RXNN, runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
let checkpoint: string;
let server: LoopbackServer;
const data = (): string[] => ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
const SMALL = ['--epochs', '2', '--hidden', '20', '--lr', '0.5', '--batch-size', '20', '--init-std', '0.1'];

/** Runs a shell command line; rxnn's own exit status is printed last on stderr as "status=N". */
function shell(line: string): { stdout: string; stderr: string; status: number } {
  const result = spawnSync('bash', ['-c', `${line}; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
  const status = Number(/status=(\d+)\n$/.exec(result.stderr)?.[1]);
  return { stdout: result.stdout, stderr: result.stderr.replace(/status=\d+\n$/, ''), status };
}
const rxnn = (args: string): string => `"${process.execPath}" "${RXNN}" ${args}`;

beforeAll(async () => {
  slice = await writeMnistSlice(500, 100);
  const run = join(slice.dir, 'run');
  expect((await runRxnn(['train', ...data(), ...SMALL, '--out', run])).status).toBe(0);
  checkpoint = join(run, 'checkpoints', 'epoch-0002.safetensors');
  server = await startLoopbackServer();
});
afterAll(() => server.close());

describe('broken pipes', () => {
  it('predict | head -1: quiet, exit 0', () => {
    const { test } = bundledMnist();
    const result = shell(`${rxnn(`predict ${checkpoint} --images ${test.images}`)} | head -1`);
    expect(result.stdout).toBe(`index,predicted,${Array.from({ length: 10 }, (_, c) => `p_class_${c}`).join(',')}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("the README's predict … --top 3 | head: ten lines, quiet, exit 0", () => {
    const result = shell(`${rxnn(`predict ${checkpoint} --top 3`)} | head`);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('index,predicted,rank_1_class,rank_1_p,rank_2_class,rank_2_p,rank_3_class,rank_3_p');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('predict > /dev/full: one line naming stdout, exit 2', () => {
    const result = shell(`${rxnn(`predict ${checkpoint} --images ${slice.testImages}`)} > /dev/full`);
    expect(result.stderr).toBe('rxnn: stdout: cannot write the results: no space left on the device (ENOSPC)\n');
    expect(result.status).toBe(2);
  });

  it('inspect and runs | head -1: exit 0', () => {
    expect(shell(`${rxnn(`inspect ${slice.trainImages} ${slice.trainLabels} ${slice.testImages}`)} | head -1`)).toMatchObject({ status: 0, stderr: '' });
    expect(shell(`${rxnn(`runs ${slice.dir}`)} | true`)).toMatchObject({ status: 0, stderr: '' });
  });

  it('train | true: the run completes, exit 0', async () => {
    const out = join(slice.dir, 'to-true');
    const result = shell(`${rxnn(`train ${data().join(' ')} ${SMALL.join(' ')} --out ${out}`)} | true`);
    expect(result.status).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).status).toBe('completed');
  });

  it('train 2>&1 | head -1: stderr closed after the banner, the run still completes with every file', async () => {
    const out = join(slice.dir, 'to-head');
    const result = shell(`${rxnn(`train ${data().join(' ')} ${SMALL.join(' ')} --out ${out}`)} 2>&1 | head -1`);
    expect(result.stdout).toMatch(/^rxnn: training 784-20-10 .*\n$/);
    expect(result.status).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).status).toBe('completed');
    expect(await readdir(join(out, 'checkpoints'))).toEqual(['epoch-0001.safetensors', 'epoch-0002.safetensors']);
    expect((await readFile(join(out, 'epochs.csv'), 'utf8')).trim().split('\n')).toHaveLength(3);
  });
});

describe('pipes as inputs', () => {
  it('predict streams: lines come out while the images are still arriving through a pipe', async () => {
    const images = await readIdxFile(slice.testImages);
    const count = 5000;
    const file = encodeIdx('ubyte', [count, 28, 28], new Uint8Array(count * 784).map((_, i) => images.data[i % images.data.length]!));
    const fifo = join(slice.dir, 'predict-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [RXNN, 'predict', checkpoint, '--images', fifo, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString().split('\n').length - 1));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    const input = createWriteStream(fifo);
    const half = 16 + 2500 * 784;
    input.write(file.subarray(0, half));
    for (let i = 0; i < 3000 && lines < 2000; i++) await new Promise((r) => setTimeout(r, 10));
    // Two batches predicted, the input not yet ended: nothing waited for the whole file.
    expect(lines).toBeGreaterThanOrEqual(2000);
    input.end(file.subarray(half));
    expect(await done).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toBe(count);
  });

  it('trains on plain IDX through FIFOs and process substitution; refuses to stream a pipe', async () => {
    const fifo = join(slice.dir, 'images-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `cat "${slice.trainImages}" > "${fifo}"`]);
    const args = ['train', ...data().slice(2), '--train-images', fifo, ...SMALL, '--out', join(slice.dir, 'from-fifo')];
    const viaFifo = await runRxnn(args);
    writer.kill();
    expect(viaFifo.stderr).not.toMatch(/error/i);
    expect(viaFifo.status).toBe(0);
    const substituted = shell(rxnn(`inspect <(cat ${slice.trainImages}) --json`));
    expect(substituted.status).toBe(0);
    expect(JSON.parse(substituted.stdout)[0]).toMatchObject({ type: 'ubyte', dims: [500, 28, 28], bytes: 392016 });
    const streamed = shell(rxnn(`train ${data().slice(2).join(' ')} --train-images <(cat ${slice.trainImages}) --stream ${SMALL.join(' ')}`));
    expect(streamed.status).toBe(2);
    expect(streamed.stderr).toMatch(/^rxnn: \/dev\/fd\/\d+: a pipe or device can be read only once, so it cannot be streamed from disk; give a file\n$/);
  });
});

describe('signals and downloads', () => {
  it('Ctrl-C during a download stops it (exit 130) and removes its partial file', async () => {
    const bytes = await readFile(slice.trainImages);
    const url = server.route('/slow/train-images-idx3-ubyte', stallAfter(bytes, 100_000));
    const cache = join(slice.dir, 'cache-stopped');
    const child = spawn(process.execPath, [RXNN, 'inspect', url, '--cache-dir', cache], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    const partial = async (): Promise<boolean> => (await readdir(cache).catch(() => [])).some((n) => n.endsWith('.part'));
    for (let i = 0; i < 500 && !(await partial()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await partial()).toBe(true);
    child.kill('SIGINT');
    expect(await done).toBe(130);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`rxnn: ${url}: download stopped by SIGINT`);
    expect(await readdir(cache)).toEqual([]);
  });

  it('removes the partial downloads of killed processes of this host, and trusts no cached file without its digest', async () => {
    const bytes = await readFile(slice.trainLabels);
    const url = server.route('/data/train-labels-idx1-ubyte', serveBytes(bytes));
    const cache = join(slice.dir, 'cache-stale');
    await mkdir(cache);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_');
    const stale = `x.${dead}@${host}.0a1b2c.part`;
    const foreign = `x.${dead}@another-host.0a1b2c.part`;
    await writeFile(join(cache, stale), 'half');
    await writeFile(join(cache, foreign), 'half');
    expect((await runRxnn(['inspect', url, '--cache-dir', cache])).status).toBe(0);
    expect((await readdir(cache)).sort()).toEqual([foreign, `${cachedPath(cache, new URL(url), 'train-labels-idx1-ubyte').split('/').at(-1)}`, `${cachedPath(cache, new URL(url), 'train-labels-idx1-ubyte').split('/').at(-1)}.sha256`].sort());
    // Without its recorded digest the cached copy is fetched again, or refused offline.
    await import('node:fs/promises').then((fs) => fs.rm(`${cachedPath(cache, new URL(url), 'train-labels-idx1-ubyte')}.sha256`));
    const offline = await runRxnn(['inspect', url, '--cache-dir', cache, '--offline']);
    expect(offline.status).toBe(2);
    expect(offline.stderr).toMatch(/the cached copy has no recorded digest, so it cannot be trusted \(cached copy .*; run without --offline to download it again\)\n$/);
    const hits = server.hits.get('/data/train-labels-idx1-ubyte');
    expect((await runRxnn(['inspect', url, '--cache-dir', cache])).status).toBe(0);
    expect(server.hits.get('/data/train-labels-idx1-ubyte')).toBe(hits! + 1);
  });

  it('a SIGTERM during a long evaluation is acknowledged within a second; the run stops at the epoch end', async () => {
    const { train } = bundledMnist();
    const out = join(slice.dir, 'long-evaluation');
    // One step per epoch, then 60,000 test images to score: seconds of synchronous work in memory.
    const args = ['train', '--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', train.images, '--test-labels', train.labels];
    const child = spawn(process.execPath, [RXNN, ...args, '--hidden', '128', '--backend', 'ts', '--batch-size', '500', '--epochs', '3', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let acknowledged = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (acknowledged === 0 && stderr.includes('SIGTERM: finishing')) acknowledged = Date.now();
    });
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 3000 && !stderr.includes('rxnn: training'); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 400));
    const sent = Date.now();
    child.kill('SIGTERM');
    const status = await done;
    const ended = Date.now();
    expect(status).toBe(143);
    expect(acknowledged - sent).toBeLessThan(1000);
    // The evaluation went on well after the acknowledgment: it was noticed during it, not after it.
    expect(ended - acknowledged).toBeGreaterThan(1000);
    expect(stderr).toMatch(/stopped by SIGTERM at step 1 \(epoch 1\)/);
    expect(existsSync(join(out, 'checkpoints', 'epoch-0001.safetensors'))).toBe(true);
  }, 120_000);
});
