import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flatSettings, nestSettings } from '../../src/core/settings-record.js';
import { decodeSafetensors, flatOverrides, kernelsFor, LESSON_SETTINGS, presetSettings, readManifest, type ResumePoint } from '../../src/index.js';
import { recordedSettings } from '../../src/run/check-resume-point.js';
import { runModel } from '../../src/run/run-model.js';
import { readTrainingState } from '../../src/run/training-state.js';
import { summarizeRuns } from '../../src/report/run-summaries.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

async function oldCheckpoint(name: string): Promise<ResumePoint> {
  const file = decodeSafetensors(new Uint8Array(await readFile(fixture(`checkpoints-v1/${name}.safetensors`))), name);
  return { name, file, state: readTrainingState(file, name) };
}

describe('settings records: the flat form rxnn wrote before settings were grouped, read in today\'s form', () => {
  it('moves every flat setting into its group, and back for tables and messages', () => {
    const flat = JSON.parse(JSON.stringify({ epochs: 17, ...Object.fromEntries(Object.entries(flatSettings(LESSON_SETTINGS as never)).filter(([k]) => k !== 'epochs')) }));
    expect(nestSettings(flat)).toEqual(JSON.parse(JSON.stringify(LESSON_SETTINGS)));
    expect(flatSettings(nestSettings(flat))).toEqual(flat);
    // nested records pass as they are; a key of no known place is kept
    expect(nestSettings(LESSON_SETTINGS as never)).toBe(LESSON_SETTINGS);
    expect(nestSettings({ lr: 0.5, extra: 1 })).toEqual({ optimizer: { lr: 0.5 }, extra: 1 });
  });

  it('reads run.json of rxnn 0.1 with its settings in their groups, and `rxnn runs` shows them as before', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'rxnn-old-runs-'));
    await mkdir(join(parent, 'old'));
    await copyFile(fixture('run-json-0.1/run.json'), join(parent, 'old', 'run.json'));
    const flat = JSON.parse(await readFile(fixture('run-json-0.1/run.json'), 'utf8')).settings;
    const manifest = await readManifest(join(parent, 'old'));
    const expected = presetSettings('lesson', flatOverrides({ epochs: 1, batchSize: 500, lr: 0.5, hidden: [10], seed: 7 }));
    expect(manifest.settings).toEqual(JSON.parse(JSON.stringify(expected)));
    const [summary] = await summarizeRuns(parent);
    expect(summary!.settings).toMatchObject({ hidden: '10', lr: '0.5', batchSize: '500', optimizer: 'sgd', lrSchedule: 'constant', init: 'normal:0.01', seed: '7' });
    expect(Object.keys(summary!.settings).sort()).toEqual(Object.keys(flat).sort());
  });

  describe('checkpoints written before settings were grouped (test/fixtures/checkpoints-v1)', () => {
    // the flags that wrote sigmoid-10, with --epochs 2 --batch-size 20 on 1,000 training images
    const settings = (lr: number) => presetSettings('lesson', flatOverrides({ hidden: [10], lr, initStd: 0.1, seed: 3, batchSize: 20, epochs: 2 }));

    it('record their flat settings, read in today\'s form, equal to what the same flags give today', async () => {
      const point = await oldCheckpoint('sigmoid-10');
      expect(point.state.settings).toEqual(recordedSettings(settings(0.5)));
    });

    it('resume: the run puts the old checkpoint\'s state into the network and optimizer its settings build', async () => {
      const kernels = kernelsFor('wasm', { threads: 1, simd: 'plain' });
      try {
        const model = runModel(settings(0.5), { count: 1000, inputSize: 784 }, await oldCheckpoint('sigmoid-10'), kernels);
        expect(model.optimizer.steps).toBe(100);
        const weight = model.network.tensors.find((t) => t.name === 'dense.0.weight')!;
        const stored = (await oldCheckpoint('sigmoid-10')).file.tensors.find((t) => t.name === 'dense.0.weight')!;
        expect(Array.from(weight.value.subarray(0, 50))).toEqual(Array.from(stored.data.subarray(0, 50)));
      } finally {
        kernels.close();
      }
    });

    it('a run with other settings is refused, naming the setting as its flag', async () => {
      const [sigmoid, leaky] = [await oldCheckpoint('sigmoid-10'), await oldCheckpoint('leaky-relu-batch-norm-dropout')];
      const kernels = kernelsFor('wasm', { threads: 1, simd: 'plain' });
      try {
        expect(() => runModel(settings(0.4), { count: 1000, inputSize: 784 }, sigmoid, kernels)).toThrow(
          /^sigmoid-10: trained with lr 0\.5, but this run has 0\.4$/,
        );
        const adam = presetSettings('lesson', flatOverrides({ hidden: [6, 5], activation: 'leaky-relu', batchNorm: true, dropout: 0.2, optimizer: 'adam', lr: 0.01, seed: 4, batchSize: 20, epochs: 2, warmup: 2 }));
        expect(() => runModel(adam, { count: 1000, inputSize: 784 }, leaky, kernels)).toThrow(
          /^leaky-relu-batch-norm-dropout: trained with warmup 0, but this run has 2$/,
        );
      } finally {
        kernels.close();
      }
    });
  });
});
