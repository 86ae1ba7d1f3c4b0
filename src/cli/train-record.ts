import { epochMetrics } from '../core/metric-rows.js';
import type { EpochReport } from '../model/evaluate-epochs.js';
import type { ResumePoint } from '../run/resume-point.js';
import type { RunManifest, StoredRunManifest } from '../run/run-manifest.js';
import type { TrainSettings } from '../run/settings.js';
import { flatOverrides, presetSettings, PRESETS } from '../run/presets.js';
import { applyModelArgs } from './model-options.js';
import { defaultBestMetric } from '../run/run-data.js';
import { writeOut } from './output.js';
import { augmentRangesOf, type TrainArgs } from './train-options.js';
import { flagName, UsageError } from './usage-error.js';

/** The settings the flags ask for, laid over their preset, checked. */
export function requestedSettings(args: TrainArgs): TrainSettings {
  const { epochs, batchSize, evalBatchSize, maxLoss, seed, sampler, shuffleBuffer, classes, validation } = args;
  const augment = augmentRangesOf(args, PRESETS[args.preset].data.augment);
  const hasValidation = validation !== undefined || args.validationImages !== undefined;
  const metric = args.saveBest === undefined || args.saveBest === 'auto' ? defaultBestMetric(hasValidation) : args.saveBest;
  const earlyStop = args.earlyStop && { ...args.earlyStop, metric };
  return presetSettings(applyModelArgs(PRESETS[args.preset], args), flatOverrides({ epochs, batchSize, evalBatchSize, maxLoss, seed, sampler, shuffleBuffer, classes, augment, validation, earlyStop }));
}

export function checkSameInputs(manifest: StoredRunManifest, now: RunManifest['inputs']): void {
  for (const key of Object.keys(now) as (keyof RunManifest['inputs'])[]) {
    const was = manifest.inputs[key];
    const is = now[key];
    if (was?.sha256 !== undefined && is.sha256 !== was.sha256) {
      throw new UsageError(`${flagName(key)}: ${is.source} has changed since the run started (SHA-256 ${was.sha256.slice(0, 12)}..., now ${String(is.sha256).slice(0, 12)}...)`);
    }
  }
}

export function checkEpochs(from: ResumePoint | undefined, settings: TrainSettings, dir: string): void {
  const position = from?.state.position;
  if (position === undefined) return;
  const needed = position.epoch;
  if (settings.run.epochs < needed) {
    throw new UsageError(`--epochs: the run in ${dir} has already reached epoch ${needed}; give at least ${needed}`);
  }
}

export function finalOf(last: EpochReport | undefined, record: RunManifest, from?: ResumePoint, lastSeconds?: number): RunManifest['final'] {
  if (last !== undefined) {
    const { epoch, iteration, seconds } = last;
    return { epoch, iteration, ...epochMetrics(last), seconds };
  }
  const metrics = from?.state.metrics;
  if (from !== undefined && metrics !== undefined) {
    return { epoch: from.state.position.epoch, iteration: from.state.iteration, ...metrics, seconds: lastSeconds ?? Number.NaN };
  }
  return record.final;
}

export function writeSummary(summary: Record<string, unknown>): Promise<void> {
  return writeOut(`${JSON.stringify(summary)}\n`);
}

