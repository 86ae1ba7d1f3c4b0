import { createHash } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bundledMnist, DownloadError, encodeIdx, InputError, readIdx, readIdxFile, type IdxTensor, type SourceOptions,
} from '../../src/index.js';
import {
  dropAfter, failFirst, redirect, serveBytes, stallAfter, startLoopbackServer, status, type LoopbackServer,
} from '../helpers/http-server.js';

let server: LoopbackServer;
let plain: Uint8Array;
let packed: Uint8Array;
let expected: IdxTensor;
let cacheDir: string;

const options = (extra: Partial<SourceOptions> = {}): SourceOptions => ({ cacheDir, retryDelayMs: 10, timeoutSeconds: 5, ...extra });
const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function rejection(url: string, opts: SourceOptions = options()): Promise<InputError> {
  const error = await readIdx(url, opts).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message.startsWith(url)).toBe(true);
  expect((error as Error).message).not.toContain('\n');
  return error as InputError;
}

/** Nothing but complete, verified files (and their recorded digests) may be left in the cache. */
async function expectNoPartialFiles(): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  expect(names.filter((n) => n.endsWith('.part'))).toEqual([]);
}

beforeAll(async () => {
  server = await startLoopbackServer();
  // the first 300 test images of the bundled MNIST
  const full = await readIdxFile(bundledMnist().test.images);
  expected = { ...full, dims: [300, 28, 28], data: full.data.subarray(0, 300 * 784) };
  plain = encodeIdx('ubyte', expected.dims, expected.data);
  packed = gzipSync(plain);
});
afterAll(() => server.close());
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'rxnn-cache-'));
});

describe('reading IDX files over http', () => {
  it('reads plain, gzip-file and gzip-transport bodies alike, and records what it read', async () => {
    const urls = [
      server.route('/ok/plain-idx3-ubyte', serveBytes(plain)),
      server.route('/ok/gz-idx3-ubyte.gz', serveBytes(packed)),
      server.route('/ok/transport-idx3-ubyte', serveBytes(gzipSync(plain), { 'content-encoding': 'gzip' })),
    ];
    for (const url of urls) {
      const { result, facts } = await readIdx(url, options());
      expect(result.dims).toEqual([300, 28, 28]);
      expect(Buffer.from(result.data).equals(Buffer.from(expected.data))).toBe(true);
      expect(facts.fetched).toBe('downloaded');
      expect(facts.path.startsWith(cacheDir)).toBe(true);
    }
    const gz = await readIdx(urls[1]!, options());
    expect(gz.facts).toMatchObject({ compression: 'gzip', bytes: packed.length, sha256: digest(packed), fetched: 'cached' });
  });

  it('downloads once: the next read comes from the cache, also when offline', async () => {
    const url = server.route('/once/train.gz', serveBytes(packed));
    await readIdx(url, options());
    const second = await readIdx(url, options());
    const offline = await readIdx(url, options({ offline: true }));
    expect(server.hits.get('/once/train.gz')).toBe(1);
    expect(second.facts.fetched).toBe('cached');
    expect(Buffer.from(offline.result.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('offline, refuses a URL that is not in the cache without touching the network', async () => {
    const url = server.route('/offline/never.gz', serveBytes(packed));
    expect((await rejection(url, options({ offline: true }))).message).toMatch(/not in the cache .* offline/);
    expect(server.hits.get('/offline/never.gz')).toBeUndefined();
  });

  it('downloads again when the cached copy no longer matches its recorded digest', async () => {
    const url = server.route('/damaged/data.gz', serveBytes(packed));
    const { facts } = await readIdx(url, options());
    await writeFile(facts.path, gzipSync(encodeIdx('ubyte', [1, 2], [1, 2])));
    expect((await rejection(url, options({ offline: true }))).message).toMatch(/SHA-256 is .* run without --offline/);
    const again = await readIdx(url, options());
    expect(again.facts.fetched).toBe('downloaded');
    expect(server.hits.get('/damaged/data.gz')).toBe(2);
  });

  it('checks --sha256 digests and a server-side .sha256 file, keeping nothing that fails', async () => {
    const good = server.route('/sum/good.gz', serveBytes(packed));
    await readIdx(good, options({ checksums: [{ file: 'good.gz', sha256: digest(packed) }] }));
    const bad = server.route('/sum/bad.gz', serveBytes(packed));
    const wrong = { file: bad, sha256: 'ab'.repeat(32) };
    expect((await rejection(bad, options({ checksums: [wrong] }))).message).toMatch(
      new RegExp(`SHA-256 is ${digest(packed)}, expected ${'ab'.repeat(32)} \\(from --sha256\\); refusing the data`),
    );
    const sidecar = server.route('/sum/side.gz', serveBytes(packed));
    server.route('/sum/side.gz.sha256', serveBytes(Buffer.from(`${'cd'.repeat(32)}  side.gz\n`)));
    expect((await rejection(sidecar)).message).toMatch(/from http:.*side\.gz\.sha256/);
    const names = await readdir(cacheDir);
    expect(names.filter((n) => n.includes('bad.gz') || n.includes('side.gz'))).toEqual([]);
    await expectNoPartialFiles();
  });

  it('fails at once on HTTP 404, naming the URL, and retries 5xx only when asked', async () => {
    const missing = server.route('/status/missing.gz', status(404));
    const error = await rejection(missing, options({ retries: 3 }));
    expect(error.message).toBe(`${missing}: HTTP 404 Not Found`);
    expect(server.hits.get('/status/missing.gz')).toBe(1);
    const broken = server.route('/status/broken.gz', status(500));
    expect((await rejection(broken)).message).toBe(`${broken}: HTTP 500 Internal Server Error`);
    const flaky = server.route('/status/flaky.gz', failFirst(2, 503, serveBytes(packed)));
    const retried: number[] = [];
    const { result } = await readIdx(flaky, options({ retries: 2, onDownload: (e) => e.kind === 'retry' && retried.push(e.delayMs) }));
    expect(result.dims).toEqual([300, 28, 28]);
    expect(retried).toEqual([10, 20]);
    await expectNoPartialFiles();
  });

  it('names a refused connection', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const url = `${closed.base}/gone.gz`;
    const error = await rejection(url, options({ retries: 1 }));
    expect(error.message).toMatch(new RegExp(`^${url}( \\(checksum file .*\\))?: connection refused$`));
    expect(error).toBeInstanceOf(DownloadError);
  });

  it('refuses a connection dropped half way and leaves no partial file, then succeeds on retry', async () => {
    const dropped = server.route('/drop/half.gz', dropAfter(packed, packed.length >> 1));
    expect((await rejection(dropped)).message).toMatch(/connection (reset|closed)/);
    await expectNoPartialFiles();
    expect(await readdir(cacheDir)).toEqual([]);
    let calls = 0;
    const flaky = server.route('/drop/flaky.gz', (req, res) => (calls++ === 0 ? dropAfter(packed, 1000) : serveBytes(packed))(req, res));
    expect((await readIdx(flaky, options({ retries: 1 }))).result.dims).toEqual([300, 28, 28]);
  });

  it('refuses a complete response whose data is shorter than its IDX header promises', async () => {
    const short = server.route('/short/plain', serveBytes(plain.subarray(0, plain.length - 784)));
    expect((await rejection(short)).message).toMatch(/truncated: header promises 300x28x28 ubyte values, 235216 bytes in all, but the file has 234432 bytes/);
    const shortGz = server.route('/short/packed.gz', serveBytes(gzipSync(plain.subarray(0, 5000))));
    expect((await rejection(shortGz)).message).toMatch(/truncated: .* but the file has 5000 bytes after gunzip/);
    const notIdx = server.route('/short/page.html', serveBytes(Buffer.from('<!doctype html><p>moved</p>')));
    expect((await rejection(notIdx)).message).toMatch(/not an IDX file: magic number starts 0x3c 0x21/);
    await expectNoPartialFiles();
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('gives up on a stalled server after the timeout', async () => {
    const stalled = server.route('/stall/body.gz', stallAfter(packed, 100));
    const started = performance.now();
    expect((await rejection(stalled, options({ timeoutSeconds: 0.3 }))).message).toBe(`${stalled}: timed out: no data for 0.3 s`);
    expect(performance.now() - started).toBeLessThan(4000);
    const silent = server.route('/stall/headers.gz', () => undefined);
    expect((await rejection(silent, options({ timeoutSeconds: 0.3 }))).message).toMatch(/timed out/);
    await expectNoPartialFiles();
  });

  it('follows up to 5 redirects, only to http(s)', async () => {
    const target = server.route('/hop/data.gz', serveBytes(packed));
    let previous = target;
    for (let i = 1; i <= 6; i++) previous = server.route(`/hop/${i}`, redirect(previous));
    expect((await readIdx(`${server.base}/hop/5`, options())).result.dims).toEqual([300, 28, 28]);
    expect((await rejection(`${server.base}/hop/6`)).message).toMatch(/more than 5 redirects/);
    const away = server.route('/hop/ftp', redirect('ftp://127.0.0.1/data.gz'));
    expect((await rejection(away)).message).toMatch(/redirected to ftp:\/\/127\.0\.0\.1\/data\.gz; only http/);
    const data = server.route('/hop/data-url', redirect('data:application/octet-stream;base64,AAAIAQAAAAE='));
    expect((await rejection(data)).message).toMatch(/only http/);
  });

  it('accepts only http and https URLs', async () => {
    for (const url of ['ftp://example.com/x.gz', 'file:///etc/passwd']) {
      const error = await readIdx(url, options()).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/only http:\/\/ and https:\/\/ URLs are supported/);
    }
  });
});
