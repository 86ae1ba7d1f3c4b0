import { concatMap, defer, lastValueFrom, of, tap } from 'rxjs';
import { join } from 'node:path';
import type { EpochReport } from '../model/evaluate-epochs.js';
import { TrainingDiverged } from '../model/diverged.js';
import { EPOCHS_CSV, removeTemporaryFilesSync } from '../run/run-directory.js';
import { writeManifest, writeManifestSync, type RunManifest } from '../run/run-manifest.js';
import { trainRun, type RunEarlyStopped, type RunStopped } from '../run/train-run.js';
import { modelTensorShapes } from '../model/model-size.js';
import { writePlots } from '../report/write-plots.js';
import { readEpochRows } from '../report/run-metrics.js';
import { modelSpecOf } from '../run/model-spec-of.js';
import { lastCsvValue } from '../sinks/csv-file.js';
import type { Dataset } from '../sources/dataset.js';
import { describeLayers, describeTraining } from './model-options.js';
import { runData } from '../run/run-data.js';
import { invokedAs } from './invoked-as.js';
import { createProgress } from './progress.js';
import { lineWidth } from './terminal.js';
import { trainSummaryTable } from './train-summary-table.js';
import { SIGNAL_EXIT, type SignalStop, type StopSignal } from './stop-signals.js';
import type { OwnedFolder } from './train-folder.js';
import type { TrainArgs } from './train-options.js';
import type { PreparedRun } from './train-prepare.js';
import { finalOf, writeSummary } from './train-record.js';
import { CommandFailed } from './usage-error.js';
import { createJsonLog } from './json-log.js';

/**
 * Trains in a folder this process owns and records how it ended: run.json,
 * one JSON line on stdout, and the exit status (3 diverged, 130/143
 * stopped by a signal). `seconds` is the time since the command started.
 */
export async function trainInFolder(args: TrainArgs, prepared: PreparedRun, folder: OwnedFolder, stop: SignalStop, seconds: () => number): Promise<void> {
  const { settings, train, test, validation } = prepared;
  const { outDir, record, from } = folder;
  const resuming = record.resumes.length > 0;
  const { kernels } = prepared;
  const data = runData(train, validation, settings);
  const stepsPerEpoch = Math.ceil(data.train.count / settings.data.batchSize);
  const validationText = data.validation === undefined ? '' : `validation ${data.validation.count}${validation === undefined ? ' held out' : ''}, `;
  const { layers } = settings.model;
  const widths = layers === undefined ? [train.inputSize, ...settings.model.hidden, settings.model.classes].join('-') : `a network of ${plural(layers.length, 'layer')}`;
  const where = from === undefined ? (resuming ? ' from the start' : '') : ` from ${from.name}`;
  const banner =
    `rxnn: ${resuming ? 'resuming' : 'training'} ${widths} (${parameterCount(settings, train).toLocaleString('en-US')} parameters; ${describeTraining(settings)}) on ${data.train.count} images (${validationText}test ${test.count})` +
    `${storage(train, settings.data.shuffleBuffer)}, ${plural(settings.run.epochs, 'epoch')} of ${plural(stepsPerEpoch, 'step')}, in ${outDir}${where}; kernels: ${kernels.description}` +
    (layers === undefined ? '' : `\n${describeLayers(modelSpecOf(settings, train))}`);
  const startIteration = from === undefined ? 0 : from.state.iteration - (from.state.position.step ?? 0);
  const bestTestAccuracy = resuming ? await bestBefore(outDir, startIteration) : undefined;
  const progress =
    args.quiet === true ? () => undefined : createProgress({ stream: process.stderr, banner, epochs: settings.run.epochs, stepsPerEpoch, startIteration, bestTestAccuracy });
  let log: ReturnType<typeof createJsonLog> | undefined;
  const redraw = args.plot === true ? (): Promise<unknown> => writePlots([outDir]) : undefined;
  const finish = (update: Partial<RunManifest>): Promise<void> => writeManifest(outDir, { ...record, ...update, finished: new Date().toISOString() });
  stop.describe('finishing the current step and saving a checkpoint');
  stop.onForcedExit(() => {
    removeTemporaryFilesSync(outDir);
    const message = `stopped at once by a second signal; continue with: ${invokedAs()} train --resume ${outDir} (from its last checkpoint)`;
    writeManifestSync(outDir, { ...record, status: 'interrupted', message, finished: new Date().toISOString() });
  });
  let last: EpochReport | undefined;
  let stopped: RunStopped | undefined;
  let earlyStopped: RunEarlyStopped | undefined;
  try {
    log = args.logJson === undefined ? undefined : createJsonLog(args.logJson, args.logJsonSteps);
    await lastValueFrom(
      trainRun({
        settings,
        train,
        test,
        outDir,
        folder: 'existing',
        lock: folder.lock,
        from,
        signal: stop.signal,
        keepCheckpoints: args.keepCheckpoints,
        validation,
        saveBest: prepared.saveBest,
        clock: seconds,
        kernels,
      }).pipe(
        tap((event) => {
          progress(event);
          log?.write(event);
        }),
        concatMap((event) => (redraw !== undefined && (event.kind === 'epoch' || event.kind === 'stopped') ? defer(() => redraw().then(() => event)) : of(event))),
        tap((event) => {
          if (event.kind === 'epoch') last = event;
          if (event.kind === 'stopped') stopped = event;
          if (event.kind === 'early-stopped') earlyStopped = event;
        }),
      ),
      { defaultValue: undefined },
    );
  } catch (error) {
    log?.close();
    if (error instanceof TrainingDiverged) {
      const message =
        `${error.message}; the state before that step is in ${error.facts.checkpoint ?? 'no checkpoint'}. ` +
        `Try a lower learning rate (--lr ${Number((settings.optimizer.lr / 10).toPrecision(3))} or below)`;
      await finish({ status: 'diverged', final: finalOf(last, record), message });
      await writeSummary({ epoch: error.facts.epoch, step: error.facts.step, checkpoint: error.facts.checkpoint, out: outDir, status: 'diverged' }).catch(() => undefined);
      throw new CommandFailed(message, 3);
    }
    await finish({ status: 'failed', final: finalOf(last, record), message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  }
  log?.close();
  if (stopped !== undefined) {
    const signal = stopped.reason as StopSignal;
    const message =
      `stopped by ${signal} at step ${stopped.iteration} (epoch ${stopped.epoch}); ` +
      `${stopped.checkpoint === undefined ? 'no step was made' : `saved ${stopped.checkpoint}`}; continue with: ${invokedAs()} train --resume ${outDir}`;
    await finish({ status: 'interrupted', final: finalOf(last, record), message });
    await writeSummary({ epoch: stopped.epoch, iterations: stopped.iteration, checkpoint: stopped.checkpoint, out: outDir, status: 'interrupted' }).catch(() => undefined);
    throw new CommandFailed(message, SIGNAL_EXIT[signal] ?? 130);
  }
  const final = finalOf(last, record, from, await lastCsvValue(join(outDir, EPOCHS_CSV), 'seconds'));
  if (last === undefined && earlyStopped === undefined) process.stderr.write(`rxnn: ${outDir} has already finished its ${settings.run.epochs} epochs; give a larger --epochs to go on\n`);
  const early = earlyStopped && earlyStopMessage(earlyStopped);
  if (early !== undefined && args.quiet !== true) process.stderr.write(`rxnn: ${early}\n`);
  await finish({ status: 'completed', final, message: early });
  // The run's own clock goes on from the checkpoint's (earlier commands' time included), as the epoch rows do.
  const total = Number(Math.max((from?.state.seconds ?? 0) + seconds(), last?.seconds ?? 0).toFixed(3));
  if (args.quiet !== true) process.stderr.write(trainSummaryTable(await readEpochRows(outDir).catch(() => []), total, outDir, lineWidth(process.stderr)));
  await writeSummary({
    epochs: final?.epoch,
    iterations: final?.iteration,
    train_acc: final?.train_acc,
    test_acc: final?.test_acc,
    seconds: total,
    out: outDir,
    status: 'completed',
  });
}

function earlyStopMessage(e: RunEarlyStopped): string {
  const { metric, value, epoch } = e.best;
  return `stopped early after epoch ${e.epoch}: ${metric} has not improved for ${plural(e.patience, 'epoch')}; the best epoch was ${epoch} (${metric} ${value})`;
}

function parameterCount(settings: PreparedRun['settings'], train: Dataset): number {
  return modelTensorShapes(modelSpecOf(settings, train))
    .filter((t) => t.parameter)
    .reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** The best validation (else test) accuracy of the epochs a resumed run keeps, for the best-so-far mark. */
async function bestBefore(outDir: string, iteration: number): Promise<number | undefined> {
  const rows = await readEpochRows(outDir).catch(() => []);
  const kept = rows.filter((r) => r.iteration <= iteration).map((r) => r.val_acc ?? r.test_acc);
  return kept.length === 0 ? undefined : Math.max(...kept);
}

function storage(train: Dataset, shuffleBuffer: number | undefined): string {
  const buffer = shuffleBuffer === undefined ? '' : `, shuffle buffer ${shuffleBuffer}`;
  return train.storage === 'stream' ? ` streamed from disk${buffer}` : buffer;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
