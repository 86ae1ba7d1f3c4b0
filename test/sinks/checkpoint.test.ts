import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { checkpointFileName, decodeSafetensors, writeCheckpoints, writeFileAtomic } from '../../src/index.js';

describe('writeCheckpoints', () => {
  it('writes a checkpoint for each epoch item and passes the item on only once the file is complete on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxnn-ckpt-'));
    const weights = Float32Array.from([1, 2, 3]);
    const seenOnDisk: string[][] = [];
    const items = await lastValueFrom(
      from([{ epoch: 0 }, { epoch: 1 }, { epoch: 0 }, { epoch: 2 }]).pipe(
        writeCheckpoints<{ epoch: number }>({
          dir,
          checkpointOf: (item) =>
            item.epoch === 0
              ? undefined
              : { epoch: item.epoch, checkpoint: { tensors: [{ name: 'w', shape: [3], data: weights }], metadata: { epoch: String(item.epoch) } } },
        }),
        // look at the instant each item is emitted
        tap(() => seenOnDisk.push(readdirSync(dir).sort())),
        toArray(),
      ),
    );
    expect(items.map((i) => i.epoch)).toEqual([0, 1, 0, 2]);
    expect(seenOnDisk[0]).toEqual([]);
    expect(seenOnDisk[1]).toEqual(['epoch-0001.safetensors']);
    expect(seenOnDisk[2]).toEqual(['epoch-0001.safetensors']);
    expect(seenOnDisk[3]).toEqual(['epoch-0001.safetensors', 'epoch-0002.safetensors']);
    const decoded = decodeSafetensors(await readFile(join(dir, checkpointFileName(2))), 'epoch 2');
    expect(decoded.metadata).toEqual({ epoch: '2' });
    expect(decoded.tensors[0]!.data).toEqual(weights);
  });

  it('names files epoch-NNNN.safetensors', () => {
    expect(checkpointFileName(1)).toBe('epoch-0001.safetensors');
    expect(checkpointFileName(12345)).toBe('epoch-12345.safetensors');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxnn-atomic-'));
    const path = join(dir, 'f.bin');
    await writeFileAtomic(path, Uint8Array.from([1, 2, 3]));
    await writeFileAtomic(path, Uint8Array.from([4, 5]));
    expect(Array.from(await readFile(path))).toEqual([4, 5]);
    expect(await readdir(dir)).toEqual(['f.bin']);
  });
});
