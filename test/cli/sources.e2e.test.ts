import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEpochsCsv, withoutSeconds } from '../helpers/csv.js';
import { encodeIdx, readIdxFile } from '../../src/index.js';
import { serveBytes, startLoopbackServer, status, type LoopbackServer } from '../helpers/http-server.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

let slice: SliceFiles;
let server: LoopbackServer;
let cacheDir: string;
const urls: Record<string, string> = {};
const SMALL = ['--epochs', '2', '--hidden', '20', '--lr', '0.5', '--batch-size', '20', '--init-std', '0.1', '--seed', '3'];

const epochsCsv = async (run: string): Promise<string> => withoutSeconds(await readFile(join(run, 'epochs.csv'), 'utf8'));
const localFlags = (): string[] => [
  '--train-images', slice.trainImages, '--train-labels', slice.trainLabels,
  '--test-images', slice.testImages, '--test-labels', slice.testLabels,
];
const urlFlags = (): string[] => [
  '--train-images', urls['trainImages']!, '--train-labels', urls['trainLabels']!,
  '--test-images', urls['testImages']!, '--test-labels', urls['testLabels']!,
];
const rxnn = (args: string[]) => runRxnn(args, { env: { RXNN_CACHE_DIR: cacheDir } });

beforeAll(async () => {
  slice = await writeMnistSlice(1000, 300);
  server = await startLoopbackServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'rxnn-e2e-cache-'));
  for (const key of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const) {
    const name = slice[key].split('/').pop()!;
    urls[key] = server.route(`/mnist/${name}.gz`, serveBytes(gzipSync(await readFile(slice[key]))));
  }
});
afterAll(() => server.close());

describe('rxnn train on inputs from elsewhere', () => {
  it('trains on loopback URLs of gzipped files exactly as on the local plain files', async () => {
    const local = join(slice.dir, 'local');
    const remote = join(slice.dir, 'remote');
    const a = await rxnn(['train', ...localFlags(), ...SMALL, '--out', local]);
    const b = await rxnn(['train', ...urlFlags(), ...SMALL, '--out', remote]);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(await epochsCsv(remote)).toBe(await epochsCsv(local));
    expect(b.stderr).toMatch(/rxnn: downloading http:\/\/127\.0\.0\.1:\d+\/mnist\/train-images-idx3-ubyte\.gz/);
    expect(b.stderr).toMatch(/rxnn: downloaded .* into /);

    // the cache serves the next run, also offline
    const before = server.hits.get('/mnist/train-images-idx3-ubyte.gz');
    const offline = join(slice.dir, 'offline');
    const c = await rxnn(['train', ...urlFlags(), ...SMALL, '--offline', '--out', offline]);
    expect(c.status).toBe(0);
    expect(c.stderr).not.toMatch(/downloading/);
    expect(server.hits.get('/mnist/train-images-idx3-ubyte.gz')).toBe(before);
    expect(await epochsCsv(offline)).toBe(await epochsCsv(local));
  });

  it('streams the training set from disk through a shuffle buffer, deterministically', async () => {
    const runs = [join(slice.dir, 'stream-1'), join(slice.dir, 'stream-2')];
    const results = [];
    for (const out of runs) results.push(await rxnn(['train', ...localFlags(), ...SMALL, '--stream', '--shuffle-buffer', '500', '--out', out]));
    expect(results.map((r) => r.status)).toEqual([0, 0]);
    expect(results[0]!.stderr).toMatch(/on 1000 images \(test 300\) streamed from disk, shuffle buffer 500,/);
    expect(JSON.parse(results[0]!.stdout).test_acc).toBeGreaterThan(0.6);
    expect(await epochsCsv(runs[1]!)).toBe(await epochsCsv(runs[0]!));
  });

  it('takes any IDX element type and the number of classes from the data', async () => {
    const images = await readIdxFile(slice.trainImages);
    const floats = join(slice.dir, 'train-images-float');
    await writeFile(floats, encodeIdx('float', images.dims, Float32Array.from(images.data, (v) => v / 255)));
    const testImages = await readIdxFile(slice.testImages);
    const testFloats = join(slice.dir, 'test-images-float');
    await writeFile(testFloats, encodeIdx('float', testImages.dims, Float32Array.from(testImages.data, (v) => v / 255)));
    const flags = localFlags();
    flags[1] = floats;
    flags[5] = testFloats;
    const out = join(slice.dir, 'floats');
    const result = await rxnn(['train', ...flags, ...SMALL, '--out', out]);
    expect(result.status).toBe(0);
    const bytesRun = (await readEpochsCsv(join(slice.dir, 'local', 'epochs.csv')))[1]!;
    const floatRun = (await readEpochsCsv(join(out, 'epochs.csv')))[1]!;
    expect(Math.abs(floatRun.test_acc - bytesRun.test_acc)).toBeLessThan(0.02);

    const more = await rxnn(['train', ...localFlags(), ...SMALL, '--classes', '12', '--out', join(slice.dir, 'twelve')]);
    expect(more.status).toBe(0);
    expect(more.stderr).toMatch(/training 784-20-12 \(/);
  });
});

describe('rxnn train refusing inputs', () => {
  async function expectRejected(args: string[], message: RegExp): Promise<void> {
    const result = await rxnn(['train', ...args, ...SMALL]);
    expect(result.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('rxnn: downloading')).join('\n')).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  }

  it('names a URL that answers 404, and one refused, in one line with exit 2', async () => {
    const flags = urlFlags();
    flags[1] = server.route('/missing.gz', status(404));
    const out = join(slice.dir, 'never-404');
    await expectRejected([...flags, '--out', out], /^rxnn: http:\/\/127\.0\.0\.1:\d+\/missing\.gz: HTTP 404 Not Found$/);
    expect(await readdir(slice.dir)).not.toContain('never-404');
    const closed = await startLoopbackServer();
    await closed.close();
    flags[1] = `${closed.base}/x.gz`;
    await expectRejected([...flags, '--out', out], /connection refused$/);
  });

  it('refuses data whose SHA-256 differs, a --sha256 that names no input, and offline misses', async () => {
    await expectRejected([...localFlags(), '--sha256', `train-labels-idx1-ubyte=${'0'.repeat(64)}`], /train-labels-idx1-ubyte: SHA-256 is [0-9a-f]{64}, expected 0{64} \(from --sha256\); refusing the data$/);
    await expectRejected([...localFlags(), '--sha256', `nothing-here=${'0'.repeat(64)}`], /^rxnn: --sha256 nothing-here=\.\.\.: names none of the inputs/);
    await expectRejected([...localFlags(), '--sha256', 'x=123'], /^rxnn: --sha256: "123" is not a SHA-256 digest/);
    const flags = urlFlags();
    flags[3] = server.route('/never-fetched.gz', status(200));
    await expectRejected([...flags, '--offline'], /never-fetched\.gz: not in the cache .* offline/);
    expect(server.hits.get('/never-fetched.gz')).toBeUndefined();
  });

  it('refuses other URL schemes, and a --stream run with the replacement sampler', async () => {
    const flags = localFlags();
    flags[1] = 'ftp://127.0.0.1/train.gz';
    await expectRejected(flags, /^rxnn: ftp:\/\/127\.0\.0\.1\/train\.gz: only http:\/\/ and https:\/\/ URLs are supported, not ftp:\/\/$/);
    await expectRejected([...localFlags(), '--shuffle-buffer', '100', '--sampler', 'replacement'], /^rxnn: --shuffle-buffer: shuffles without replacement/);
    await expectRejected([...localFlags(), '--memory-budget', 'lots'], /^rxnn: --memory-budget: expected a size such as 512M or 2G, got "lots"$/);
  });
});

describe('rxnn inspect', () => {
  it('prints the canonical facts of the bundled MNIST files', async () => {
    const result = await rxnn(['inspect']);
    expect(result.status).toBe(0);
    const blocks = result.stdout.trim().split('\n\n');
    expect(blocks).toHaveLength(4);
    expect(blocks[0]).toMatch(/train-images-idx3-ubyte\n {2}type {4}ubyte\n {2}dims {4}60000x28x28 \(60000 items of 28x28\)/);
    expect(blocks[0]).toMatch(/file {4}47040016 bytes/);
    expect(blocks[1]).toMatch(/train-labels-idx1-ubyte[\s\S]*values {2}0 to 9[\s\S]*classes 10\n {2}counts {2}0:5923 1:6742 /);
    expect(blocks[2]).toMatch(/dims {4}10000x28x28 \(10000 items of 28x28\)/);
    expect(blocks[3]).toMatch(/counts {2}0:980 1:1135 /);
  });

  it('prints JSON for scripts, for files and URLs alike', async () => {
    const result = await rxnn(['inspect', '--json', slice.trainLabels, urls['trainLabels']!]);
    expect(result.status).toBe(0);
    const [local, remote] = JSON.parse(result.stdout);
    expect(local).toMatchObject({ type: 'ubyte', dims: [1000], items: 1000, compression: 'none', bytes: 1008, labels: { classes: 10 } });
    expect(remote).toMatchObject({ type: 'ubyte', dims: [1000], compression: 'gzip', labels: local.labels });
    expect(remote.path.startsWith(cacheDir)).toBe(true);
    expect(local.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a damaged file with one line and exit 2', async () => {
    const bad = join(slice.dir, 'bad.gz');
    await writeFile(bad, gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 9, 1, 2])));
    const result = await rxnn(['inspect', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rxnn: ${bad}: truncated: header promises 9 ubyte values, 17 bytes in all, but the file has 10 bytes after gunzip\n`);
  });
});
