import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { EPOCHS_CSV } from '../core/metric-rows.js';
import { readManifest, RUN_JSON, type StoredRunManifest } from '../core/run-manifest.js';
import { flatSettings } from '../core/settings-record.js';
import { formatInitSpec, type InitSpec } from '../model/init.js';
import { formatLrSchedule, type LrSchedule } from '../model/lr-schedule.js';
import { formatLayers } from '../model/parse-layers.js';
import { readEpochRows } from './run-metrics.js';

/** One run folder in a few numbers. */
export interface RunSummary {
  readonly run: string;
  /** Settings as text, in the flags' form (init normal:0.01, lrSchedule step:5:0.5, hidden 128,64); empty for a folder without run.json. */
  readonly settings: Readonly<Record<string, string>>;
  readonly epochs: number;
  readonly trainAcc: number | undefined;
  /** The last epoch's validation accuracy; undefined for a run without a validation set. */
  readonly valAcc: number | undefined;
  readonly testAcc: number | undefined;
  /** The best epoch's validation accuracy (the highest). */
  readonly bestValAcc: number | undefined;
  /** The best epoch's test accuracy: with a validation set, at the epoch the validation set chose (the honest estimate); without one, the highest. */
  readonly bestTestAcc: number | undefined;
  /** The epoch with the highest validation accuracy, or without a validation set the highest test accuracy. */
  readonly bestEpoch: number | undefined;
  /** The last epoch's wall time. */
  readonly seconds: number | undefined;
  /** From run.json; 'unknown' without it. */
  readonly status: string;
  /** When the run started (run.json), else undefined. */
  readonly started: string | undefined;
}

/** Summaries of the run folders directly under `parent` (those holding run.json or epochs.csv), newest first (by start time, then name). */
export async function summarizeRuns(parent: string): Promise<RunSummary[]> {
  const names = await readdir(parent).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${parent}: ${error.code === 'ENOENT' ? 'no such folder' : `cannot read (${error.code})`}`);
  });
  const summaries: RunSummary[] = [];
  for (const name of names.sort()) {
    const dir = join(parent, name);
    const has = async (file: string): Promise<boolean> => stat(join(dir, file)).then(() => true, () => false);
    const [hasEpochs, hasManifest] = await Promise.all([has(EPOCHS_CSV), has(RUN_JSON)]);
    if (!hasEpochs && !hasManifest) continue;
    const manifest = hasManifest ? await readManifest(dir).catch(() => undefined) : undefined;
    const epochs = hasEpochs ? await readEpochRows(dir).catch(() => []) : [];
    const last = epochs.at(-1);
    const selected = (r: (typeof epochs)[number]): number => r.val_acc ?? r.test_acc;
    const best = epochs.reduce<(typeof epochs)[number] | undefined>((a, b) => (a === undefined || selected(b) > selected(a) ? b : a), undefined);
    summaries.push({
      run: name,
      settings: manifest === undefined ? {} : settingsText(flatSettings(manifest.settings)),
      epochs: last?.epoch ?? 0,
      trainAcc: last?.train_acc,
      valAcc: last?.val_acc,
      testAcc: last?.test_acc,
      bestValAcc: best?.val_acc,
      bestTestAcc: best?.test_acc,
      bestEpoch: best?.epoch,
      seconds: last?.seconds,
      status: manifest?.status ?? 'unknown',
      started: manifest?.started,
    });
  }
  return summaries.sort((a, b) => (b.started ?? '').localeCompare(a.started ?? '') || b.run.localeCompare(a.run));
}

/**
 * The settings whose values are not the same in every run that records
 * them (runs without run.json are left out of the comparison); `epochs` has
 * its own column.
 */
export function differingSettings(summaries: readonly RunSummary[]): string[] {
  const recorded = summaries.filter((s) => Object.keys(s.settings).length > 0);
  const keys = [...new Set(recorded.flatMap((s) => Object.keys(s.settings)))].filter((key) => key !== 'epochs');
  return keys.filter((key) => new Set(recorded.map((s) => s.settings[key] ?? '')).size > 1);
}

/** The MLP's short form, which a network's `layers` replace: runs with layers record these all the same. */
const REPLACED_BY_LAYERS: readonly string[] = ['hidden', 'activation', 'batchNorm', 'dropout'];

function settingsText(settings: StoredRunManifest['settings']): Record<string, string> {
  const layered = settings['layers'] !== undefined;
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([key]) => !(layered && REPLACED_BY_LAYERS.includes(key)))
      .map(([key, value]) => [key, flagText(key, value)]),
  );
}

/** A setting as its flag is written, as the progress banner shows it. */
function flagText(key: string, value: unknown): string {
  if (key === 'init' && typeof value === 'object' && value !== null) return formatInitSpec(value as InitSpec);
  if (key === 'lrSchedule' && typeof value === 'object' && value !== null) return formatLrSchedule(value as LrSchedule);
  if (key === 'layers' && Array.isArray(value)) return formatLayers(value as { type: string }[]);
  if (key === 'earlyStop' && typeof value === 'object' && value !== null) {
    const { patience, minDelta } = value as { patience?: unknown; minDelta?: unknown };
    return minDelta === 0 || minDelta === undefined ? String(patience) : `${String(patience)}:${String(minDelta)}`;
  }
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
