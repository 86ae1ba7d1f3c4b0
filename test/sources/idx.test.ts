import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, InputError, readIdxFile, type IdxTypeName } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxnn-idx-'));
});

async function write(name: string, bytes: Uint8Array | number[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, Uint8Array.from(bytes));
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

describe('readIdxFile', () => {
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
      const path = await write(`ok-${type}`, encodeIdx(type, [3, 2], values));
      const tensor = await readIdxFile(path);
      expect(tensor.type).toBe(type);
      expect(tensor.dims).toEqual([3, 2]);
      expect(Array.from(tensor.data)).toEqual(values);
    });
  }

  it('takes the number and shape of items from the file, whatever they are', async () => {
    const values = Array.from({ length: 5 * 3 * 4 }, (_, i) => i % 256);
    const tensor = await readIdxFile(await write('shape', encodeIdx('ubyte', [5, 3, 4], values)));
    expect(tensor.dims).toEqual([5, 3, 4]);
    expect(tensor.data).toBeInstanceOf(Uint8Array);
  });

  it('rejects a wrong magic number', async () => {
    const error = await rejection(await write('gzip-looking', [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]));
    expect(error.message).toMatch(/not an IDX file: magic number/);
  });

  it('rejects an unknown element type byte', async () => {
    const error = await rejection(await write('bad-type', [0, 0, 0x0a, 1, 0, 0, 0, 1, 9]));
    expect(error.message).toMatch(/unknown IDX element type byte 0x0a/);
  });

  it('rejects zero dimensions and a file too short for its header', async () => {
    expect((await rejection(await write('zero-dims', [0, 0, 8, 0]))).message).toMatch(/0 dimensions/);
    expect((await rejection(await write('short-header', [0, 0, 8, 3, 0, 0, 0, 1]))).message).toMatch(/declares 3 dimensions/);
    expect((await rejection(await write('tiny', [0, 0]))).message).toMatch(/too short/);
    expect((await rejection(await write('empty', []))).message).toMatch(/too short/);
  });

  it('rejects a truncated file', async () => {
    const whole = encodeIdx('short', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const error = await rejection(await write('truncated', whole.subarray(0, whole.length - 3)));
    expect(error.message).toMatch(/truncated: header promises 4x2 short values, 28 bytes in all, but the file has 25 bytes/);
  });

  it('rejects a file longer than its header says', async () => {
    const whole = encodeIdx('ubyte', [2, 2], [1, 2, 3, 4]);
    const error = await rejection(await write('too-long', [...whole, 0, 0]));
    expect(error.message).toMatch(/size does not match header/);
  });

  it('rejects a header claiming billions of items from the file size, before allocating', async () => {
    // 4e9 x 784 bytes claimed by a 16-byte file: must fail fast, not try to allocate terabytes
    const header = new Uint8Array(16);
    const view = new DataView(header.buffer);
    header.set([0, 0, 8, 3]);
    view.setUint32(4, 4_000_000_000);
    view.setUint32(8, 28);
    view.setUint32(12, 28);
    const error = await rejection(await write('billions', header));
    expect(error.message).toMatch(/truncated: header promises 4000000000x28x28/);
  });

  it('names a missing file and a directory', async () => {
    expect((await rejection(join(dir, 'does-not-exist'))).message).toMatch(/no such file/);
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    expect((await rejection(folder)).message).toMatch(/is a directory/);
  });
});
