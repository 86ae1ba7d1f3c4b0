import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, InputError } from '../../src/index.js';

const tensors = [
  { name: 'dense.0.weight', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -7]) },
  { name: 'dense.0.bias', shape: [3], data: Float64Array.from([0.1, 0.2, 0.3]) },
];
const metadata = { model: '{"input":2}', epoch: '3' };

describe('safetensors', () => {
  it('lays out the file as the spec says: u64 LE header length, space-padded JSON, contiguous LE F32 data', () => {
    const bytes = encodeSafetensors(tensors, metadata);
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8');
    const header = JSON.parse(text);
    // compact JSON, then only spaces as padding
    expect(text.trimEnd()).toBe(JSON.stringify(header));
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(header.__metadata__).toEqual(metadata);
    expect(header['dense.0.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['dense.0.bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    expect(bytes.length).toBe(8 + headerLength + 36);
    expect(view.getFloat32(8 + headerLength + 4 * 2, true)).toBe(3.5);
    expect(view.getFloat32(8 + headerLength + 24, true)).toBe(Math.fround(0.1));
  });

  it('round-trips names, shapes, values (as float32) and metadata', () => {
    const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata), 'x.safetensors');
    expect(decoded.metadata).toEqual(metadata);
    expect(decoded.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['dense.0.weight', [2, 3]],
      ['dense.0.bias', [3]],
    ]);
    expect(decoded.tensors[0]!.data).toEqual(tensors[0]!.data);
    expect(decoded.tensors[1]!.data).toEqual(Float32Array.from([0.1, 0.2, 0.3]));
  });

  it('rejects malformed files with a message naming the file', () => {
    const good = encodeSafetensors(tensors, metadata);
    expect(() => decodeSafetensors(good.subarray(0, 5), 'a.st')).toThrow(InputError);
    expect(() => decodeSafetensors(good.subarray(0, 40), 'a.st')).toThrow(/a\.st: not a safetensors file/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), 'a.st')).toThrow(/a\.st: tensor dense\.0\.bias/);
  });

  it('rejects header entries without a proper shape or offsets as bad input, not a crash', () => {
    for (const entry of [{ dtype: 'F32' }, { dtype: 'F32', shape: [2], data_offsets: 'x' }, { dtype: 'F32', shape: [-1], data_offsets: [0, 0] }, null]) {
      const json = Buffer.from(JSON.stringify({ w: entry }));
      const bytes = new Uint8Array(8 + json.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
      bytes.set(json, 8);
      expect(() => decodeSafetensors(bytes, 'b.st')).toThrow(new InputError('b.st: tensor w: header entry needs a shape and two data_offsets, all non-negative integers'));
    }
  });
});
