import { catchError, concat, concatMap, defer, finalize, from, ignoreElements, tap, throwError, type Observable } from 'rxjs';
import { resolve } from 'node:path';
import { epochMetrics } from '../core/metric-rows.js';
import { readManifest } from '../core/run-manifest.js';
import { RXNN_VERSION } from '../core/rxnn-version.js';
import type { EpochReport } from '../model/evaluate-epochs.js';
import { TrainingDiverged } from '../model/diverged.js';
import type { Dataset } from '../sources/dataset.js';
import type { ResumePoint } from './resume-point.js';
import type { RunEvent, RunStopped } from './run-event.js';
import { writeManifest, writeManifestSync, type RunManifest } from './run-manifest.js';
import type { TrainSettings } from './settings.js';

/** What a run made in code records about itself: no command line (`command` [], `args` {}). */
export interface RecordedRun {
  readonly outDir: string;
  readonly settings: TrainSettings;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly from?: ResumePoint | undefined;
  readonly folder?: 'new' | 'existing' | undefined;
  /** true: always record; undefined: in a new folder, or one whose run.json a run made in code wrote. */
  readonly record?: boolean | undefined;
}

/**
 * The run's events, with DIR/run.json kept as `rxnn train` keeps it, so
 * `rxnn runs` lists the run with its settings and status: `running` before
 * the first event, then `completed`, `interrupted` (stopped on its signal, or
 * unsubscribed), `diverged` or `failed` with the final metrics. A run in an
 * existing folder adds a resume to the record it finds there; one recorded by
 * a command line (`rxnn train`) is left to it, unless `record` is true.
 */
export function recordedRun(run: RecordedRun, events: Observable<RunEvent>): Observable<RunEvent> {
  return defer(() => {
    let record: RunManifest | undefined;
    let last: EpochReport | undefined;
    let stopped: RunStopped | undefined;
    let ended = false;
    const end = (status: RunManifest['status'], message?: string): RunManifest => {
      ended = true;
      const final = last === undefined ? record!.final : { epoch: last.epoch, iteration: last.iteration, ...epochMetrics(last), seconds: last.seconds };
      return { ...record!, status, final, message, finished: new Date().toISOString() };
    };
    const start = defer(async () => {
      record = await startRecord(run);
      if (record !== undefined) await writeManifest(run.outDir, record);
    });
    const finish = defer(async () => {
      if (record !== undefined) await writeManifest(run.outDir, stopped === undefined ? end('completed') : end('interrupted', `stopped at step ${stopped.iteration} (epoch ${stopped.epoch})`));
    });
    return concat(
      start.pipe(ignoreElements()),
      events.pipe(
        tap((event) => {
          if (event.kind === 'epoch') last = event;
          if (event.kind === 'stopped') stopped = event;
        }),
      ),
      finish.pipe(ignoreElements()),
    ).pipe(
      catchError((error: unknown) => {
        if (record === undefined || ended) return throwError(() => error);
        const message = error instanceof Error ? error.message : String(error);
        const failed = end(error instanceof TrainingDiverged ? 'diverged' : 'failed', message);
        return from(writeManifest(run.outDir, failed)).pipe(concatMap(() => throwError(() => error)));
      }),
      finalize(() => {
        if (record !== undefined && !ended) writeManifestSync(run.outDir, end('interrupted', 'unsubscribed before the run ended'));
      }),
    );
  });
}

async function startRecord(run: RecordedRun): Promise<RunManifest | undefined> {
  const at = new Date().toISOString();
  const earlier = (run.folder ?? 'new') === 'existing' ? await readManifest(run.outDir).catch(() => undefined) : undefined;
  if (run.record !== true && (run.folder ?? 'new') === 'existing' && earlier?.command.length !== 0) return undefined;
  if (earlier !== undefined) {
    const resume = { at, from: run.from?.name, command: [] };
    return { ...earlier, settings: run.settings, resumes: [...earlier.resumes, resume], status: 'running', finished: undefined, message: undefined };
  }
  return {
    format: 1,
    command: [],
    args: {},
    inputs: { trainImages: input(run.train, 'images'), trainLabels: input(run.train, 'labels'), testImages: input(run.test, 'images'), testLabels: input(run.test, 'labels') },
    settings: run.settings,
    rxnn: { version: RXNN_VERSION },
    node: process.version,
    started: at,
    resumes: [],
    status: 'running',
  };
}

function input(set: Dataset, file: 'images' | 'labels'): RunManifest['inputs']['trainImages'] {
  const source = set.files?.[file];
  const where = source === undefined ? '(in memory)' : /^https?:\/\//i.test(source) ? source : resolve(source);
  return { source: where, sha256: set.digests?.[file] };
}
