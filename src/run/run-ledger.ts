import { BehaviorSubject, first, type Observable } from 'rxjs';
import { epochMetrics } from '../core/metric-rows.js';
import { EpochLoss, type EpochReport } from '../model/evaluate-epochs.js';
import type { CheckpointPosition } from '../sinks/checkpoint.js';
import type { RunEvent } from './run-event.js';
import type { ResumePoint } from './resume-point.js';
import type { BestMetric, BestSoFar, RunProgress } from './training-state.js';
import { EarlyStopper, improves, metricOf, type EarlyStop } from './early-stop.js';
import { Plateau, type PlateauSchedule } from '../model/lr-schedule.js';

/** What a run decides at epochs' ends besides its best checkpoint: when to stop early, and a plateau schedule's rate. */
export interface LedgerRules {
  readonly earlyStop?: (EarlyStop & { readonly metric: BestMetric }) | undefined;
  /** A plateau schedule and the base rate it starts from; it watches the validation loss, or the training loss in a run without a validation set. */
  readonly plateau?: { readonly schedule: PlateauSchedule; readonly base: number } | undefined;
}

/** A sink whose records a run counts, so that a resumed run cuts its file back to the checkpoint's count. */
export interface CountedRecords {
  /** Its key in the counts (a checkpoint's training_state.csv_rows). */
  readonly name: string;
  /** How many records an event adds. */
  readonly records: (event: RunEvent) => number;
}

/**
 * Everything a run keeps track of besides the network and optimizer, in one
 * place: the epoch in progress and where it started, the step losses of the
 * unfinished epoch, the best value so far, the records each sink holds, the
 * last checkpoint saved, and which epochs every sink has finished writing.
 * runSinks feeds it each event before the sinks see it.
 */
export class RunLedger {
  /** The step losses of the unfinished epoch; evaluateEpochs sums them here. */
  readonly epochLoss: EpochLoss;
  best: BestSoFar | undefined;
  /** Whether the last epoch report set a new best. */
  improved = false;
  /** The last checkpoint file saved, and the iteration it holds. */
  lastSaved: { readonly name: string; readonly iteration: number } | undefined;
  /** The epoch in progress (the next one, right after an epoch's report). */
  epoch: number;
  /** Whether the last event was an epoch's report. */
  closed = false;
  /** Early stopping, in a run that stops early. */
  readonly earlyStop: EarlyStopper | undefined;
  /** The plateau schedule's state, in a run that has one: the learning rate reads it. */
  readonly plateau: Plateau | undefined;
  private epochStart: number;
  private readonly counts: Record<string, number>;
  private readonly written: BehaviorSubject<number>;

  constructor(
    private readonly counted: readonly CountedRecords[],
    start: { readonly epoch: number; readonly stepsDone: number; readonly iteration: number },
    private readonly saveBest: BestMetric | undefined,
    resume?: ResumePoint,
    rules: LedgerRules = {},
  ) {
    const carried = start.stepsDone > 0 ? resume?.state.epochLoss : undefined;
    this.epochLoss = new EpochLoss(carried?.sum, carried?.steps);
    this.best = resume?.state.best;
    this.lastSaved = resume && { name: resume.name, iteration: resume.state.iteration };
    this.epoch = start.epoch;
    this.epochStart = start.iteration - start.stepsDone;
    // sorted, so that a checkpoint's csv_rows are the same bytes whatever the sinks' order
    const names = counted.map((c) => c.name).sort();
    this.counts = Object.fromEntries(names.map((name) => [name, resume?.state.csvRows[name] ?? 0]));
    this.written = new BehaviorSubject(start.epoch - 1);
    this.earlyStop = rules.earlyStop && new EarlyStopper(rules.earlyStop, resume?.state.earlyStop);
    this.plateau = rules.plateau && new Plateau(rules.plateau.schedule, resume?.state.plateau ?? { rate: rules.plateau.base, wait: 0 });
  }

  /** Whether early stopping has ended the run: no improvement for its patience by the last epoch finished. */
  get stoppingEarly(): boolean {
    return this.earlyStop?.stopsAfter(this.epoch - 1) === true;
  }

  /** Takes in an event on its way to the sinks. */
  record(event: RunEvent): void {
    for (const c of this.counted) this.counts[c.name]! += c.records(event);
    if (event.kind === 'step') {
      this.closed = false;
      this.epoch = event.epoch;
    } else if (event.kind === 'epoch') {
      this.closed = true;
      this.epoch = event.epoch + 1;
      this.epochStart = event.iteration;
      const value = this.saveBest && metricOf(this.saveBest, event);
      this.improved = this.saveBest !== undefined && value !== undefined && improves(this.saveBest, value, this.best?.value);
      if (this.improved && this.saveBest !== undefined && value !== undefined) this.best = { metric: this.saveBest, value, epoch: event.epoch };
      this.earlyStop?.observe(event);
      this.plateau?.observe(event.valLoss ?? event.trainLoss);
    }
  }

  /** Records that every sink has written epoch `epoch`'s records. */
  epochWritten(epoch: number): void {
    this.written.next(epoch);
  }

  /** Emits once every sink has written epoch `epoch` (at once for an epoch before the run's first). */
  whenWritten(epoch: number): Observable<number> {
    return this.written.pipe(first((done) => done >= epoch));
  }

  /** Where the run stands after `iteration` updates: at the end of the epoch just reported, or inside the one in progress. */
  position(iteration: number): CheckpointPosition {
    return this.closed ? { epoch: this.epoch - 1 } : { epoch: this.epoch, step: iteration - this.epochStart };
  }

  /** The epoch a stop is reported in: the one just finished, or the one in progress. */
  get stoppedEpoch(): number {
    return this.closed ? this.epoch - 1 : this.epoch;
  }

  /** The state a checkpoint keeps (but for the tensors), at `position` after `iteration` updates. */
  progress(position: CheckpointPosition, iteration: number, extra: { seconds: number | undefined; report?: EpochReport | undefined; settings: RunProgress['settings'] }): RunProgress {
    return {
      position,
      iteration,
      csvRows: { ...this.counts },
      epochLoss: this.epochLoss.state(),
      seconds: extra.seconds,
      best: this.best,
      metrics: extra.report && epochMetrics(extra.report),
      settings: extra.settings,
      earlyStop: this.earlyStop?.state(),
      plateau: this.plateau?.state(),
    };
  }
}

