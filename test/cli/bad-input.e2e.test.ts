import { gzipSync } from 'node:zlib';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeIdx, encodeSafetensors, readIdxFile } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn, type Result } from './run-rxnn.js';

let slice: SliceFiles;
let checkpoint: string;
const SMALL = ['--epochs', '1', '--hidden', '20', '--batch-size', '50'];
const data = (changed: Record<string, string> = {}): string[] =>
  Object.entries({
    '--train-images': slice.trainImages,
    '--train-labels': slice.trainLabels,
    '--test-images': slice.testImages,
    '--test-labels': slice.testLabels,
    ...changed,
  }).flat();
const file = (name: string): string => join(slice.dir, name);

/** Exit 2, one line, no stack trace, matching `message`; nothing on stdout. */
function refused(result: Result, message: RegExp): void {
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
}

/** An IDX header alone: magic number for ubyte, then the dimensions. */
function idxHeader(dims: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length);
  bytes.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d));
  return bytes;
}

beforeAll(async () => {
  slice = await writeMnistSlice(300, 100);
  const run = file('run');
  expect((await runRxnn(['train', ...data(), ...SMALL, '--out', run])).status).toBe(0);
  checkpoint = join(run, 'checkpoints', 'epoch-0001.safetensors');
});

describe('IDX files whose sizes or values cannot be trusted', () => {
  it('dimensions whose product overflows, inside gzip: exit 2, not "offset is out of bounds"', async () => {
    await writeFile(file('nan-dims.gz'), gzipSync(idxHeader([5, ...Array<number>(40).fill(0xffffffff), 0])));
    refused(await runRxnn(['train', ...data({ '--train-images': file('nan-dims.gz') }), ...SMALL]), /nan-dims\.gz: images have no values \(shape (4294967295x){40}0\)\n$/);
    await writeFile(file('huge-dims.gz'), gzipSync(idxHeader([0xffffffff, 0xffffffff, 0xffffffff])));
    refused(await runRxnn(['inspect', file('huge-dims.gz')]), /huge-dims\.gz: the header's dimensions 4294967295x4294967295x4294967295 promise \d+ bytes of data, more than any file can hold\n$/);
  });

  it('images over 4 GiB are refused in memory and streamed otherwise, never "Invalid typed array length"', async () => {
    await writeFile(file('5gib.gz'), gzipSync(idxHeader([6_000_000, 28, 32])));
    refused(await runRxnn(['train', ...data({ '--train-images': file('5gib.gz') }), ...SMALL, '--no-stream']), /5gib\.gz: 5376000000 bytes of data are more than can be held in memory \(4294967296 bytes\); it has to be streamed from disk\n$/);
    refused(await runRxnn(['train', ...data({ '--train-images': file('5gib.gz') }), ...SMALL]), /5gib\.gz: truncated: header promises 6000000x28x32 ubyte values/);
  });

  it('a label of 1e6 or 2^31-1 is refused at once (no 135 s of training, no wasm out of memory); --classes cannot make the network too large', async () => {
    const labels = await readIdxFile(slice.trainLabels);
    for (const label of [1e6, 2 ** 31 - 1]) {
      const values = Int32Array.from(labels.data, (v, i) => (i === 3 ? label : v));
      await writeFile(file(`label-${label}`), encodeIdx('int', [300], values));
      refused(
        await runRxnn(['train', ...data({ '--train-labels': file(`label-${label}`) }), ...SMALL]),
        new RegExp(`label-${label}: label ${label} at item 3 is above 65535, the largest label taken when the number of classes is not given\\n$`),
      );
    }
    refused(
      await runRxnn(['train', ...data({ '--train-labels': file(`label-${2 ** 31 - 1}`) }), ...SMALL, '--classes', String(2 ** 31)]),
      /^rxnn: --classes: a 784-20-2147483648 network has 45097172308 values, more than the 134217728 rxnn can train\n$/,
    );
  });

  it('NaN or infinite values in float images are bad input, in memory and streamed, training or test set', async () => {
    const images = async (source: string, bad: number, name: string): Promise<string> => {
      const tensor = await readIdxFile(source);
      const values = Float32Array.from(tensor.data, (v) => v / 255);
      values[5 * 784 + 10] = bad;
      await writeFile(file(name), encodeIdx('float', tensor.dims, values));
      return file(name);
    };
    const [trainNaN, testInf, cleanTrain] = await Promise.all([
      images(slice.trainImages, Number.NaN, 'train-nan'),
      images(slice.testImages, Number.POSITIVE_INFINITY, 'test-inf'),
      images(slice.trainImages, 0.5, 'train-clean'),
    ]);
    const message = (name: string, value: string): RegExp => new RegExp(`${name}: item 5 holds ${value} at value 10; images must be finite numbers within float32's range\\n$`);
    for (const stream of ['--no-stream', '--stream']) {
      refused(await runRxnn(['train', ...data({ '--train-images': trainNaN, '--test-images': await images(slice.testImages, 0.5, 'test-clean') }), ...SMALL, stream]), message('train-nan', 'NaN'));
      refused(await runRxnn(['train', ...data({ '--train-images': cleanTrain, '--test-images': testInf }), ...SMALL, stream]), message('test-inf', 'Infinity'));
    }
  });

  it('a test label outside the training classes is refused, not a wider network', async () => {
    const labels = await readIdxFile(slice.testLabels);
    await writeFile(file('test-42'), encodeIdx('ubyte', [100], Uint8Array.from(labels.data, (v, i) => (i === 7 ? 42 : v))));
    refused(await runRxnn(['train', ...data({ '--test-labels': file('test-42') }), ...SMALL]), /test-42: label 42 at item 7 is not one of the 10 classes of the training set \(0 to 9\)\n$/);
  });

  it('eval on no images is refused, not accuracy NaN', async () => {
    await writeFile(file('none-images'), encodeIdx('ubyte', [0, 28, 28], []));
    await writeFile(file('none-labels'), encodeIdx('ubyte', [0], []));
    refused(await runRxnn(['eval', checkpoint, '--images', file('none-images'), '--labels', file('none-labels')]), /none-images: holds no images\n$/);
  });

  it('a local file whose name leaves no room for its .sha256 beside it is read all the same', async () => {
    const long = file(`${'l'.repeat(250)}`);
    await writeFile(long, await readFile(slice.testLabels));
    const result = await runRxnn(['inspect', long, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('checkpoints that cannot be trusted (eval, predict)', () => {
  async function forged(name: string, edit: (header: Record<string, any>) => unknown): Promise<string> {
    const bytes = new Uint8Array(await readFile(checkpoint));
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8'));
    const edited = edit(header);
    const text = Buffer.from(JSON.stringify(edited === undefined ? header : edited));
    const out = new Uint8Array(8 + text.length + bytes.length - 8 - length);
    new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
    out.set(text, 8);
    out.set(bytes.subarray(8 + length), 8 + text.length);
    await writeFile(file(name), out);
    return file(name);
  }

  it('a header that is null', async () => {
    refused(await runRxnn(['eval', await forged('null-header', () => null)]), /null-header: not a safetensors file: header is not a JSON object\n$/);
  });

  it('normalize "null"', async () => {
    refused(await runRxnn(['eval', await forged('null-normalize', (h) => void (h['__metadata__'].normalize = 'null'))]), /null-normalize: metadata "normalize": expected object, received null\n$/);
  });

  it('model metadata of a huge network is refused before anything is allocated', async () => {
    const huge = await forged('huge-model', (h) => void (h['__metadata__'].model = JSON.stringify({ input: 784, layers: [{ type: 'dense', units: 1_000_000_000, activation: 'softmax' }] })));
    refused(await runRxnn(['eval', huge]), /huge-model: metadata "model" does not describe a network rxnn can build \(classes: a 784-1000000000 network has 785000000000 values, more than the 134217728 rxnn can train\)\n$/);
    const wider = await forged('wider-model', (h) => void (h['__metadata__'].model = h['__metadata__'].model.replace('"units":20', '"units":5000')));
    refused(await runRxnn(['predict', wider, '--images', slice.testImages]), /wider-model: tensor dense\.0\.weight has shape \[784,20\], metadata "model" needs \[784,5000\]\n$/);
  });

  it('tensors that overlap in the data (the reader would allocate more than the file holds)', async () => {
    const overlapping = await forged('overlap', (h) => void (h['dense.1.bias'].data_offsets = h['dense.1.weight'].data_offsets.map((o: number, i: number) => (i === 0 ? o : o - 760))));
    refused(await runRxnn(['eval', overlapping]), /overlap: tensors dense\.1\.weight and dense\.1\.bias overlap in the data\n$/);
  });

  it('a checkpoint written by encodeSafetensors with a metadata value that is not a string', async () => {
    const file0 = decodeSafetensors(new Uint8Array(await readFile(checkpoint)), checkpoint);
    const path = file('number-metadata');
    await writeFile(path, encodeSafetensors(file0.tensors, { ...file0.metadata, epoch: 1 as unknown as string }));
    refused(await runRxnn(['eval', path]), /number-metadata: header "__metadata__" must map names to strings\n$/);
  });
});

describe('flags and URLs', () => {
  it('--timeout beyond a timer and --retries beyond reason', async () => {
    refused(await runRxnn(['inspect', '--timeout', '3000000']), /^rxnn: --timeout: at most 2147483, got 3000000\n$/);
    refused(await runRxnn(['inspect', '--retries', '100']), /^rxnn: --retries: at most 20, got 100\n$/);
  });

  it('a URL with a bad percent-escape', async () => {
    refused(await runRxnn(['inspect', 'http://127.0.0.1:9/data/a%zz.gz']), /^rxnn: http:\/\/127\.0\.0\.1:9\/data\/a%zz\.gz: not a valid URL: a percent-escape in its path is not UTF-8/);
  });

  it('a URL with user:password@ is refused, and the password never shown', async () => {
    const result = await runRxnn(['train', ...data({ '--train-images': 'https://ada:s3cret@127.0.0.1:9/train-images.gz' }), '--sha256', 'other=' + '0'.repeat(64)]);
    refused(result, /^rxnn: https:\/\/\*\*\*@127\.0\.0\.1:9\/train-images\.gz: URLs with a user name or password are not supported/);
    expect(result.stderr).not.toContain('s3cret');
  });

  it('a cache folder that is a file, or no home to put one in', async () => {
    const url = 'http://127.0.0.1:9/train-labels-idx1-ubyte';
    await writeFile(file('cache-file'), '');
    refused(await runRxnn(['inspect', url, '--cache-dir', file('cache-file')]), new RegExp(`^rxnn: ${file('cache-file')}: cannot create the download cache folder: already exists \\(EEXIST\\)\\n$`));
    const homeless = { HOME: '', RXNN_CACHE_DIR: '', XDG_CACHE_HOME: '' };
    refused(await runRxnn(['inspect', url], { env: homeless }), /no folder to keep downloads in \(there is no home folder\): set RXNN_CACHE_DIR or give --cache-dir\n$/);
    // Local files need no cache: no home is no problem for them.
    expect((await runRxnn(['inspect', slice.testLabels], { env: homeless })).status).toBe(0);
  });
});
