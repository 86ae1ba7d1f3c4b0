import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/index.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runOutcome, type RunOutcome } from '../helpers/run-files.js';
import { runRxnn, type Result } from './run-rxnn.js';

let slice: SliceFiles;
// Adam and dropout: optimizer slots and a random generator in every checkpoint.
const RUN = ['--epochs', '3', '--hidden', '16', '--activation', 'relu', '--dropout', '0.2', '--optimizer', 'adam', '--lr', '0.003', '--batch-size', '50', '--seed', '3'];
let whole: string;
let expected: RunOutcome;
let copies = 0;

beforeAll(async () => {
  slice = await writeMnistSlice(300, 100);
  whole = join(slice.dir, 'whole');
  const data = ['--train-images', slice.trainImages, '--train-labels', slice.trainLabels, '--test-images', slice.testImages, '--test-labels', slice.testLabels];
  expect((await runRxnn(['train', ...data, ...RUN, '--out', whole])).status).toBe(0);
  expected = await runOutcome(whole, 'epoch-0003.safetensors');
});

/** A copy of the finished run without its last checkpoint: resuming it trains epoch 3 from epoch-0002. */
async function unfinishedCopy(): Promise<string> {
  const dir = join(slice.dir, `copy-${copies++}`);
  await cp(whole, dir, { recursive: true });
  await rm(join(dir, 'checkpoints', 'epoch-0003.safetensors'));
  return dir;
}

async function editRunJson(dir: string, edit: (manifest: Record<string, any>) => unknown): Promise<void> {
  const path = join(dir, 'run.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  const edited = edit(manifest);
  await writeFile(path, JSON.stringify(edited === undefined ? manifest : edited));
}

async function editCheckpoint(dir: string, edit: (state: Record<string, any>, tensors: { name: string; shape: number[]; data: Float32Array }[]) => unknown): Promise<void> {
  const path = join(dir, 'checkpoints', 'epoch-0002.safetensors');
  const file = decodeSafetensors(new Uint8Array(await readFile(path)), path);
  const state = JSON.parse(file.metadata['training_state']!);
  const tensors = [...file.tensors];
  const edited = edit(state, tensors);
  await writeFile(path, encodeSafetensors(tensors, { ...file.metadata, training_state: JSON.stringify(edited === undefined ? state : edited) }));
}

function refusedInOneLine(result: Result, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

describe('a forged run.json is refused on --resume (exit 2, naming run.json and the field)', () => {
  const cases: [string, (m: Record<string, any>) => unknown, string][] = [
    ['"threads": 999 (would start 999 workers)', (m) => void (m['args'].threads = 999), 'args.threads: too big: expected number to be <=64'],
    ['a "cacheDir" among the run flags', (m) => void (m['args'].cacheDir = '/elsewhere'), 'args.cacheDir: not a field rxnn writes here'],
    ['a step schedule with every: 0', (m) => void (m['args'].lrSchedule = { kind: 'step', every: 0, gamma: 0.5 }), 'args.lrSchedule: EVERY must be a positive whole number of epochs, got 0'],
    ['"backend": "gpu"', (m) => void (m['args'].backend = 'gpu'), 'args.backend: invalid option: expected one of "ts"\\|"wasm"'],
    ['"hidden": "256"', (m) => void (m['args'].hidden = '256'), 'args.hidden: expected array, received string'],
    ['a negative batch size', (m) => void (m['args'].batchSize = -5), 'args.batchSize: must be a positive integer, got -5'],
    ['momentum with adam', (m) => void (m['args'].momentum = 0.9), 'args.momentum: only momentum and nesterov use it, not adam'],
    ['null', () => null, 'expected object, received null'],
    ['"args": []', (m) => void (m['args'] = []), 'args: expected record, received array'],
    ['no "inputs"', (m) => void delete m['inputs'], 'inputs: expected object, received undefined'],
    ['a changed seed (args and settings alike)', (m) => void ((m['args'].seed = 1), (m['settings'].run.seed = 1)), 'seed is 1, but epoch-0002.safetensors was trained with 3; a resumed run keeps the settings it was trained with'],
    ['another backend than the checkpoints were trained with', (m) => void (m['args'].backend = 'ts'), 'backend is ts, but epoch-0002.safetensors was trained with wasm'],
  ];
  for (const [what, edit, message] of cases) {
    it(what, async () => {
      const dir = await unfinishedCopy();
      await editRunJson(dir, edit);
      const escaped = join(dir, 'run.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      refusedInOneLine(await runRxnn(['train', '--resume', dir]), new RegExp(`^rxnn: ${escaped}: ${message}`));
    });
  }
});

describe('a checkpoint whose training state does not check out is passed over as damaged', () => {
  const cases: [string, Parameters<typeof editCheckpoint>[1], string][] = [
    ['position "x" (trained forever, writing epoch-0NaN files)', (s) => void (s['position'] = 'x'), 'position: expected object, received string'],
    ['position step 5000 (exited 130 "stopped by undefined")', (s) => void (s['position'] = { epoch: 2, step: 5000 }), 'damaged training state: position step 5000 is beyond the 6 steps of an epoch'],
    ['epoch -1 (wrote wrong CSV rows)', (s) => void (s['position'] = { epoch: -1 }), 'position.epoch: too small: expected number to be >=1'],
    ['an optimizer slot deleted (resumed with zeros)', (_s, t) => void t.splice(t.findIndex((x) => x.name === 'optimizer.dense.1.bias.v'), 1), 'damaged training state: tensor optimizer.dense.1.bias.v is missing'],
    ['a missing field', (s) => void delete s['csv_rows'], 'csv_rows: expected object, received undefined'],
    ['a step count that does not fit its position', (s) => void (s['optimizer_steps'] = 7), 'damaged training state: optimizer_steps 7 at epoch 2\'s end, expected 12'],
    ['a NaN weight', (_s, t) => void (t[0]!.data[3] = Number.NaN), 'damaged training state: tensor dense.0.weight holds NaN at 3'],
    ['an early-stopping best epoch not reached yet', (s) => void (s['early_stop'] = { value: 0.1, epoch: 9 }), 'damaged training state: early_stop epoch 9 at epoch 2\'s end'],
    ['a plateau wait longer than the run', (s) => void (s['plateau'] = { rate: 0.1, wait: 5 }), 'damaged training state: plateau wait of 5 epochs at epoch 2\'s end'],
    ['a generator state of zeros', (s) => void (s['random'] = [[0, 0, 0, 0]]), 'random.0: a generator state cannot be all zeros'],
  ];
  for (const [what, edit, problem] of cases) {
    it(what, async () => {
      const dir = await unfinishedCopy();
      await editCheckpoint(dir, edit);
      const result = await runRxnn(['train', '--resume', dir]);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`rxnn: skipping checkpoint epoch-0002.safetensors: ${join(dir, 'checkpoints', 'epoch-0002.safetensors')}`);
      expect(result.stderr).toContain(problem);
      expect(result.stderr).toMatch(/resuming .* from epoch-0001\.safetensors/);
      expect(await runOutcome(dir, 'epoch-0003.safetensors')).toEqual(expected);
    });
  }
});

/** Replaces (or deletes) the value at a random place in a JSON tree. */
function mutate(value: unknown, choose: (n: number) => number, replacement: unknown, remove: boolean): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0 || choose(4) === 0) return replacement;
  const key = keys[choose(keys.length)]!;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  if (remove && choose(3) === 0) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete copy[key];
  } else copy[key] = mutate(copy[key], choose, replacement, remove);
  return copy;
}

const mutation = fc.record({ picks: fc.array(fc.nat(1000), { minLength: 12, maxLength: 12 }), replacement: fc.jsonValue({ maxDepth: 2 }), remove: fc.boolean() });
const chooser = (picks: number[]): ((n: number) => number) => {
  let i = 0;
  return (n) => picks[i++ % picks.length]! % n;
};

const seen = new Set<number | null>();

function exit2OrClean(result: Result): void {
  seen.add(result.status);
  expect([0, 2]).toContain(result.status);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  if (result.status === 2) expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('property: random damage to run.json or a checkpoint header never gives exit 1 or a hang', () => {
  it('run.json', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async ({ picks, replacement, remove }) => {
        const dir = await unfinishedCopy();
        await editRunJson(dir, (m) => mutate(m, chooser(picks), replacement, remove));
        exit2OrClean(await runRxnn(['train', '--resume', dir]));
      }),
      { numRuns: 25, seed: 15 },
    );
  }, 300_000);

  it('checkpoint header and metadata', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, fc.constantFrom('header', 'training_state', 'model', 'normalize'), async ({ picks, replacement, remove }, where) => {
        const dir = await unfinishedCopy();
        const path = join(dir, 'checkpoints', 'epoch-0002.safetensors');
        const bytes = new Uint8Array(await readFile(path));
        const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8'));
        const choose = chooser(picks);
        if (where === 'header') Object.assign(header, mutate(header, choose, replacement, remove));
        else header.__metadata__[where] = JSON.stringify(mutate(JSON.parse(header.__metadata__[where]), choose, replacement, remove));
        const text = Buffer.from(JSON.stringify(header));
        const out = new Uint8Array(8 + text.length + bytes.length - 8 - length);
        new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
        out.set(text, 8);
        out.set(bytes.subarray(8 + length), 8 + text.length);
        await writeFile(path, out);
        exit2OrClean(await runRxnn(['train', '--resume', dir]));
      }),
      { numRuns: 25, seed: 16 },
    );
    // Both outcomes occurred: the damage was often caught, and sometimes harmless (or passed over).
    expect([...seen].sort()).toEqual([0, 2]);
  }, 300_000);
});
