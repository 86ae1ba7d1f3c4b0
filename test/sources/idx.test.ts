import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, InputError, readIdxFile, type IdxTypeName } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxnn-idx-'));
});

type Packing = 'plain' | 'gzip';

async function write(name: string, bytes: Uint8Array | number[], packing: Packing = 'plain'): Promise<string> {
  const path = join(dir, `${name}-${packing}`);
  const plain = Uint8Array.from(bytes);
  await writeFile(path, packing === 'gzip' ? gzipSync(plain) : plain);
  return path;
}

async function rejection(path: string): Promise<InputError> {
  const error = await readIdxFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const message = (error as InputError).message;
  expect(message.startsWith(path)).toBe(true);
  expect(message).not.toContain('\n');
  return error as InputError;
}

describe.each<Packing>(['plain', 'gzip'])('readIdxFile on %s files', (packing) => {
  const after = packing === 'gzip' ? ' after gunzip' : '';
  const cases: [IdxTypeName, number[]][] = [
    ['ubyte', [0, 1, 254, 255, 7, 8]],
    ['byte', [-128, -1, 0, 1, 127, 5]],
    ['short', [-32768, -2, 0, 300, 32767, 9]],
    ['int', [-2147483648, -70000, 0, 70000, 2147483647, 3]],
    ['float', [-1.5, 0, 0.25, 3.5, 1e10, -7]],
    ['double', [Math.PI, -Math.E, 0, 1e-300, 1e300, 2]],
  ];
  for (const [type, values] of cases) {
    it(`reads ${type} data, big-endian, with its dimensions`, async () => {
      const path = await write(`ok-${type}`, encodeIdx(type, [3, 2], values), packing);
      const tensor = await readIdxFile(path);
      expect(tensor.type).toBe(type);
      expect(tensor.dims).toEqual([3, 2]);
      expect(Array.from(tensor.data)).toEqual(values);
    });
  }

  it('takes the number and shape of items from the file, whatever they are', async () => {
    const values = Array.from({ length: 5 * 3 * 4 }, (_, i) => i % 256);
    const tensor = await readIdxFile(await write('shape', encodeIdx('ubyte', [5, 3, 4], values), packing));
    expect(tensor.dims).toEqual([5, 3, 4]);
    expect(tensor.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(tensor.data)).toEqual(values);
  });

  it('reads a file much larger than one read chunk', async () => {
    const values = Array.from({ length: 3000 * 300 }, (_, i) => (i * 7) % 251);
    const tensor = await readIdxFile(await write('large', encodeIdx('ubyte', [3000, 300], values), packing));
    expect(tensor.dims).toEqual([3000, 300]);
    expect(tensor.data.length).toBe(values.length);
    expect(tensor.data[values.length - 1]).toBe(values[values.length - 1]);
    expect(tensor.data[123457]).toBe(values[123457]);
  });

  it('rejects a wrong magic number', async () => {
    const error = await rejection(await write('zip-looking', [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0], packing));
    expect(error.message).toMatch(/not an IDX file: magic number starts 0x50 0x4b, expected 0x00 0x00/);
  });

  it('rejects an unknown element type byte', async () => {
    const error = await rejection(await write('bad-type', [0, 0, 0x0a, 1, 0, 0, 0, 1, 9], packing));
    expect(error.message).toMatch(/unknown IDX element type byte 0x0a/);
  });

  it('rejects zero dimensions and a file too short for its header', async () => {
    expect((await rejection(await write('zero-dims', [0, 0, 8, 0], packing))).message).toMatch(/0 dimensions/);
    expect((await rejection(await write('short-header', [0, 0, 8, 3, 0, 0, 0, 1], packing))).message).toMatch(
      /declares 3 dimensions but the file has only 8 bytes/,
    );
    expect((await rejection(await write('tiny', [0, 0], packing))).message).toMatch(/too short/);
    expect((await rejection(await write('empty', [], packing))).message).toMatch(/too short/);
  });

  it('rejects a truncated file', async () => {
    const whole = encodeIdx('short', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const error = await rejection(await write('truncated', whole.subarray(0, whole.length - 3), packing));
    expect(error.message).toContain(`truncated: header promises 4x2 short values, 28 bytes in all, but the file has 25 bytes${after}`);
  });

  it('rejects a file longer than its header says', async () => {
    const whole = encodeIdx('ubyte', [2, 2], [1, 2, 3, 4]);
    const error = await rejection(await write('too-long', [...whole, 0, 0], packing));
    expect(error.message).toMatch(/size does not match header/);
  });

  it('rejects a header claiming billions of items without allocating them', async () => {
    // 4e9 x 784 bytes claimed by a 16-byte file: must fail fast, not try to allocate terabytes
    const header = new Uint8Array(16);
    const view = new DataView(header.buffer);
    header.set([0, 0, 8, 3]);
    view.setUint32(4, 4_000_000_000);
    view.setUint32(8, 28);
    view.setUint32(12, 28);
    const error = await rejection(await write('billions', header, packing));
    // Refused from its header alone: a plain file is shorter than promised; gzip's 3,136 GB could never be held in memory.
    expect(error.message).toMatch(
      packing === 'gzip' ? /billions-gzip: 3136000000000 bytes of data are more than can be held in memory/ : /truncated: header promises 4000000000x28x28/,
    );
  });
});

describe('readIdxFile on gzip input', () => {
  it('recognises gzip by its first bytes, not by the file name', async () => {
    const bytes = encodeIdx('ubyte', [2, 2], [1, 2, 3, 4]);
    const named = join(dir, 'looks-plain-idx1-ubyte');
    await writeFile(named, gzipSync(bytes));
    expect(Array.from((await readIdxFile(named)).data)).toEqual([1, 2, 3, 4]);
    const misnamed = join(dir, 'looks-compressed.gz');
    await writeFile(misnamed, bytes);
    expect(Array.from((await readIdxFile(misnamed)).data)).toEqual([1, 2, 3, 4]);
  });

  it('rejects a corrupt gzip stream and a truncated one', async () => {
    const packed = gzipSync(encodeIdx('ubyte', [50, 50], Array.from({ length: 2500 }, (_, i) => i % 256)));
    const corrupt = Uint8Array.from(packed);
    corrupt[12] = corrupt[12]! ^ 0xff;
    corrupt[13] = corrupt[13]! ^ 0xff;
    const path = join(dir, 'corrupt.gz');
    await writeFile(path, corrupt);
    expect((await rejection(path)).message).toMatch(/corrupt gzip data/);
    const cut = join(dir, 'cut.gz');
    await writeFile(cut, packed.subarray(0, packed.length - 10));
    expect((await rejection(cut)).message).toMatch(/corrupt gzip data \(unexpected end of file\)/);
  });
});

describe('readIdxFile on things that are not files', () => {
  it('names a missing file and a directory', async () => {
    expect((await rejection(join(dir, 'does-not-exist'))).message).toMatch(/no such file/);
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    expect((await rejection(folder)).message).toMatch(/is a directory/);
  });
});
