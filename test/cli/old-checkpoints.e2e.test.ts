import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_NORM, loadCheckpoint, mlpSpec } from '../../src/index.js';
import { modelTensorShapes } from '../../src/model/model-size.js';
import { checkCheckpointPy, hasNumpy } from '../helpers/check-checkpoint-py.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runRxnn } from './run-rxnn.js';

// Checkpoints written by rxnn 86db299, before model specs were lists of shaped layers,
// with what that commit's eval, predict and check_checkpoint.py computed from them.
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/checkpoints-v1/${name}`, import.meta.url));
interface Expected {
  readonly eval: Record<string, unknown>;
  readonly predict_sha256: string;
  readonly check_checkpoint: Record<string, unknown>;
}
const expected = JSON.parse(await readFile(fixture('expected.json'), 'utf8')) as { checkpoints: Record<string, Expected> };
const SPECS = {
  'sigmoid-10': mlpSpec(784, [10], 10),
  'leaky-relu-batch-norm-dropout': mlpSpec(784, [6, 5], 10, { activation: 'leaky-relu', batchNorm: DEFAULT_BATCH_NORM, dropout: 0.2 }),
};

let slice: SliceFiles;
beforeAll(async () => {
  slice = await writeMnistSlice(1, 500);
});

describe('checkpoints written before model specs were lists of shaped layers', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    const path = fixture(`${name}.safetensors`);
    const then = expected.checkpoints[name]!;

    it(`${name}: loads as the spec the same flags build today, with the same tensor names`, async () => {
      const loaded = await loadCheckpoint(path);
      expect(loaded.spec).toEqual(spec);
      expect(loaded.network.tensors.map((t) => t.name)).toEqual(modelTensorShapes(spec).map((t) => t.name));
    });

    it(`${name}: rxnn eval and predict compute the same numbers as the commit that wrote it`, async () => {
      const evaluated = await runRxnn(['eval', path, '--images', slice.testImages, '--labels', slice.testLabels, '--json']);
      expect(evaluated.stderr).toBe('');
      const { checkpoint: _c, images: _i, labels: _l, ...numbers } = JSON.parse(evaluated.stdout) as Record<string, unknown>;
      expect(numbers).toEqual(then.eval);
      const predicted = await runRxnn(['predict', path, '--images', slice.testImages]);
      expect(predicted.status).toBe(0);
      // The probability columns were renamed since (p_3 -> p_class_3); every value must be the same.
      const [header, ...rows] = predicted.stdout.split('\n');
      const asThen = [header!.replace(/\bp_class_(\d+)\b/g, 'p_$1'), ...rows].join('\n');
      expect(createHash('sha256').update(asThen).digest('hex')).toBe(then.predict_sha256);
    });

    it(`${name}: scripts/check_checkpoint.py reads it as it did`, async (context) => {
      if (!hasNumpy()) context.skip();
      expect(checkCheckpointPy(path, slice.testImages, slice.testLabels)).toEqual(then.check_checkpoint);
    });
  }
});
