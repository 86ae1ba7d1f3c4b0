// Property: whatever is done to a valid IDX file (truncation, flipped bytes), reading it either gives exactly
// what its bytes say or is refused with an InputError; never another error, a hang or a huge allocation.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, InputError, readIdxFile } from '../../src/index.js';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxnn-fuzz-'));
});

/** An independent reading of IDX bytes: the values, or undefined if the bytes are not a well-formed IDX file. */
function referenceDecode(bytes: Buffer): number[] | undefined {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) return undefined;
  const sizes: Record<number, [number, (offset: number) => number]> = {
    0x08: [1, (o) => bytes.readUInt8(o)],
    0x09: [1, (o) => bytes.readInt8(o)],
    0x0b: [2, (o) => bytes.readInt16BE(o)],
    0x0c: [4, (o) => bytes.readInt32BE(o)],
    0x0d: [4, (o) => bytes.readFloatBE(o)],
    0x0e: [8, (o) => bytes.readDoubleBE(o)],
  };
  const type = sizes[bytes[2]!];
  const ndim = bytes[3]!;
  if (type === undefined || ndim === 0 || bytes.length < 4 + 4 * ndim) return undefined;
  let count = 1;
  for (let i = 0; i < ndim; i++) count *= bytes.readUInt32BE(4 + 4 * i);
  const start = 4 + 4 * ndim;
  if (bytes.length !== start + count * type[0]) return undefined;
  return Array.from({ length: count }, (_, i) => type[1](start + i * type[0]));
}

type Mutation = { cut: number; flips: { at: number; mask: number }[] };

const mutation = (length: number): fc.Arbitrary<Mutation> =>
  fc.record({
    cut: fc.oneof(fc.constant(length), fc.nat(length)),
    flips: fc.array(fc.record({ at: fc.nat(length - 1), mask: fc.integer({ min: 1, max: 255 }) }), { maxLength: 3 }),
  });

function mutate(bytes: Uint8Array, { cut, flips }: Mutation): Buffer {
  const out = Buffer.from(bytes.subarray(0, cut));
  for (const { at, mask } of flips) if (at < out.length) out[at]! ^= mask;
  return out;
}

async function outcome(bytes: Buffer): Promise<'refused' | number[]> {
  const path = join(dir, `case-${counter++}`);
  await writeFile(path, bytes);
  try {
    return Array.from((await readIdxFile(path)).data);
  } catch (error) {
    if (error instanceof InputError && !error.message.includes('\n')) return 'refused';
    throw error;
  }
}

const valid = encodeIdx('short', [3, 2, 2], [0, 1, -1, 300, 32767, -32768, 7, 8, 9, 10, 11, 12]);

describe('reading damaged IDX files', () => {
  it('a plain file: exactly its values, or refused with an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(valid.length), async (m) => {
        const damaged = mutate(valid, m);
        const expected = referenceDecode(damaged);
        const got = await outcome(damaged);
        expect(got).toEqual(expected === undefined ? 'refused' : expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a gzip file: exactly what it gunzips to, or refused with an InputError', async () => {
    const packed = gzipSync(valid);
    await fc.assert(
      fc.asyncProperty(mutation(packed.length), async (m) => {
        const damaged = mutate(packed, m);
        let expected: number[] | undefined;
        try {
          expected = referenceDecode(gunzipSync(damaged));
        } catch {
          expected = undefined;
        }
        const got = await outcome(damaged);
        // a damaged gzip stream that zlib still inflates can only give the bytes it inflates to
        if (got !== 'refused') expect(got).toEqual(expected);
        if (expected === undefined) expect(got).toBe('refused');
      }),
      { numRuns: 300 },
    );
  });

  it('a header that promises terabytes is refused without allocating them, plain or gzip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1 << 16, max: 0xffffffff }), { minLength: 2, maxLength: 4 }), async (dims) => {
        const header = Buffer.alloc(4 + 4 * dims.length);
        header.set([0, 0, 0x0e, dims.length]);
        dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
        const before = process.memoryUsage().arrayBuffers;
        expect(await outcome(header)).toBe('refused');
        expect(await outcome(gzipSync(Buffer.concat([header, Buffer.alloc(100)])))).toBe('refused');
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
      }),
      { numRuns: 50 },
    );
  });
});
