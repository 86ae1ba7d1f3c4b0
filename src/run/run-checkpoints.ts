import { tap } from 'rxjs';
import { join } from 'node:path';
import type { EpochReport } from '../model/evaluate-epochs.js';
import type { Normalization } from '../operators/normalize.js';
import { checkpointFileName, saveCheckpoint, writeCheckpoints, type CheckpointPosition } from '../sinks/checkpoint.js';
import { BEST_CHECKPOINT } from './run-directory.js';
import type { RunEvent } from './run-event.js';
import type { RunLedger } from './run-ledger.js';
import type { RunModel } from './run-model.js';
import type { RunSink } from './run-sinks.js';
import { trainingCheckpoint, type RunProgress } from './training-state.js';

export interface RunCheckpointsOptions {
  /** The run's checkpoints/ folder. */
  readonly dir: string;
  readonly keep: number | undefined;
  readonly model: RunModel;
  readonly ledger: RunLedger;
  readonly normalization: Normalization;
  /** The settings a checkpoint records. */
  readonly settings: RunProgress['settings'];
  readonly clock: () => number;
}

export interface RunCheckpoints {
  /** The sink writing a checkpoint of the whole training state at each epoch's end (and best.safetensors on a new best); last in runSinks. */
  readonly sink: RunSink;
  /** A checkpoint of the unfinished epoch, unless nothing changed since the last one; its path. */
  readonly saveInside: () => Promise<string>;
}

export function runCheckpoints(options: RunCheckpointsOptions): RunCheckpoints {
  const { dir, keep, model, ledger, clock } = options;
  const { network, optimizer, spec, kernels } = model;
  const stateAt = (position: CheckpointPosition, report?: EpochReport) => {
    const seconds = position.step === undefined ? undefined : clock();
    const progress = ledger.progress(position, optimizer.steps, { seconds, report, settings: options.settings });
    return trainingCheckpoint(network, optimizer, spec, options.normalization, progress, kernels);
  };
  const write = writeCheckpoints<RunEvent>({
    dir,
    keep,
    checkpointOf: (e) => (e.kind === 'epoch' ? { epoch: e.epoch, checkpoint: stateAt({ epoch: e.epoch }, e), copies: ledger.improved ? [BEST_CHECKPOINT] : [] } : undefined),
  });
  return {
    sink: {
      write: (events) =>
        events.pipe(
          write,
          tap((e) => {
            if (e.kind === 'epoch') ledger.lastSaved = { name: checkpointFileName(e.epoch), iteration: e.iteration };
          }),
        ),
    },
    saveInside: async () => {
      const last = ledger.lastSaved;
      if (last?.iteration === optimizer.steps) return join(dir, last.name);
      const position = ledger.position(optimizer.steps);
      const name = await saveCheckpoint(dir, position, stateAt(position), { keep });
      ledger.lastSaved = { name, iteration: optimizer.steps };
      return join(dir, name);
    },
  };
}
