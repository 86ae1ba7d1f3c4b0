import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutColumn, withoutSeconds } from '../helpers/csv.js';
import { decodeSafetensors } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

// `--simd plain` keeps the numbers rxnn computed before the kernels were rewritten:
// test/fixtures/plain-numbers.json holds what commit 069c3e2 wrote for these flags.
interface Golden {
  readonly args: readonly string[];
  readonly epochs: readonly string[];
  readonly steps: readonly string[];
  readonly checkpoint: string;
  readonly tensors: Readonly<Record<string, string>>;
}
const golden = JSON.parse(await readFile(new URL('../fixtures/plain-numbers.json', import.meta.url), 'utf8')) as { runs: Record<string, Golden> };

let slice: SliceFiles;
beforeAll(async () => {
  slice = await writeMnistSlice(2000, 500);
});

describe('--simd plain reproduces the numbers of the kernels it replaced, bit for bit', () => {
  for (const [name, run] of Object.entries(golden.runs)) {
    it(name, async () => {
      const out = join(slice.dir, name);
      const data = ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
      // two threads: the numbers do not depend on the count either
      const result = await runRxnn(['train', ...data, ...run.args, '--simd', 'plain', '--threads', '2', '--quiet', '--out', out]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const text = (await readFile(join(out, 'epochs.csv'), 'utf8')).trimEnd();
      // val_loss,val_acc came after the golden run: appended, and empty without a validation set
      expect(text.split('\n').slice(1).every((row) => row.endsWith(',,'))).toBe(true);
      const epochs = withoutColumn(withoutColumn(withoutSeconds(text), 'val_loss'), 'val_acc').split('\n');
      expect(epochs).toEqual(run.epochs);
      expect((await readFile(join(out, 'steps.csv'), 'utf8')).trimEnd().split('\n')).toEqual(run.steps);
      const path = join(out, 'checkpoints', run.checkpoint);
      expect(await readdir(join(out, 'checkpoints'))).toContain(run.checkpoint);
      const file = decodeSafetensors(await readFile(path), path);
      expect(file.metadata['simd']).toBe('plain');
      const digests = Object.fromEntries(
        file.tensors.map((t) => [t.name, createHash('sha256').update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest('hex')]),
      );
      expect(digests).toEqual(run.tensors);
    });
  }
});
