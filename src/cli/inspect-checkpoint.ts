import { basename, dirname, join } from 'node:path';
import { modelTensorShapes } from '../model/model-size.js';
import { readEpochRows, type EpochRow } from '../report/run-metrics.js';
import { loadCheckpoint } from '../run/load-checkpoint.js';

export interface CheckpointInspection {
  readonly kind: 'checkpoint';
  readonly path: string;
  /** Values per sample. */
  readonly input: number;
  /** Their shape as the network takes them: [784] for an MLP, [1, 28, 28] for a conv net on MNIST. */
  readonly inputShape: readonly number[];
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[]; readonly values: number; readonly trained: boolean }[];
  readonly parameters: number;
  readonly normalization: { readonly scale: number; readonly offset: number };
  readonly epoch: number | null;
  readonly iteration: number | null;
  readonly backend: string;
  readonly simd: string;
  /** The epochs.csv row of the run folder the checkpoint is in, for its iteration; null outside a run folder or inside an epoch. */
  readonly metrics: EpochRow | null;
}

/** What a checkpoint holds, read through the checkpoint loader (so it is checked as eval checks it). */
export async function inspectCheckpoint(path: string): Promise<CheckpointInspection> {
  const loaded = await loadCheckpoint(path);
  const tensors = modelTensorShapes(loaded.spec).map((t) => ({ name: t.name, shape: t.shape, values: t.shape.reduce((a, b) => a * b, 1), trained: t.parameter }));
  return {
    kind: 'checkpoint',
    path,
    input: loaded.inputSize,
    inputShape: loaded.spec.input,
    tensors,
    parameters: tensors.filter((t) => t.trained).reduce((sum, t) => sum + t.values, 0),
    normalization: { scale: loaded.normalization.scale, offset: loaded.normalization.offset },
    epoch: loaded.epoch ?? null,
    iteration: loaded.iteration ?? null,
    backend: loaded.backend,
    simd: loaded.simd,
    metrics: await runMetricsAt(path, loaded.iteration),
  };
}

async function runMetricsAt(path: string, iteration: number | undefined): Promise<EpochRow | null> {
  const folder = dirname(path);
  if (iteration === undefined || basename(folder) !== 'checkpoints') return null;
  const rows = await readEpochRows(dirname(folder)).catch(() => []);
  return rows.find((r) => r.iteration === iteration) ?? null;
}

export function describeCheckpoint(c: CheckpointInspection): string {
  const width = Math.max(...c.tensors.map((t) => t.name.length));
  const shapeWidth = Math.max(...c.tensors.map((t) => t.shape.join('x').length));
  const count = (n: number): string => n.toLocaleString('en-US');
  const lines = [
    `checkpoint ${c.path}`,
    `network    input ${c.inputShape.length > 1 ? `[${c.inputShape.join(', ')}]` : c.input}, ${count(c.parameters)} parameters`,
    ...c.tensors.map((t) => `  ${t.name.padEnd(width)}  ${t.shape.join('x').padEnd(shapeWidth)}  ${count(t.values).padStart(9)}${t.trained ? '' : '  (running statistic)'}`),
    `normalize  x * ${c.normalization.scale} + ${c.normalization.offset}`,
    `position   ${c.epoch === null ? 'no epoch recorded' : `epoch ${c.epoch}`}${c.iteration === null ? '' : `, iteration ${c.iteration}`}`,
    `backend    ${c.backend} (${c.simd})`,
  ];
  const m = c.metrics;
  lines.push(
    m === null
      ? 'metrics    none (no epochs.csv row for this checkpoint beside it)'
      : `metrics    train_loss ${m.train_loss.toFixed(4)}  train_acc ${m.train_acc.toFixed(4)}  test_loss ${m.test_loss.toFixed(4)}  test_acc ${m.test_acc.toFixed(4)}  (${join(dirname(dirname(c.path)), 'epochs.csv')})`,
  );
  return `${lines.join('\n')}\n`;
}
