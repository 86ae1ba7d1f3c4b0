import type { EpochReport } from '../model/evaluate-epochs.js';
import type { RunEvent } from '../run/train-run.js';
import { fitLine, wrapLine, type LineField } from './fit-line.js';
import { green, lineWidth, usesColour, type StatusStream } from './terminal.js';

export interface ProgressOptions {
  /** stderr: on a terminal its width is read at every redraw (the window may change). */
  readonly stream: StatusStream;
  /** A line shown once the run has started (its folder is ready); on a terminal broken at spaces to fit its width. */
  readonly banner: string;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** The iteration the first epoch shown started at (a resumed run starts inside its history). */
  readonly startIteration?: number;
  /** The best accuracy (validation accuracy in a run with a validation set, else test accuracy) of the epochs before a resume, for the best-so-far mark. */
  readonly bestTestAccuracy?: number;
  /** Milliseconds since some origin; performance.now by default (tests pass a fake clock). */
  readonly now?: () => number;
}

const BAR_MAX = 24;
const BAR_MIN = 5;

/**
 * Training progress for people, on stderr: one line per finished epoch
 * (aligned columns, validation beside train and test when the run has a
 * validation set, `*` marking the best validation accuracy so far, or test
 * accuracy without one) and, on a terminal only, a status line redrawn in
 * place at most 10 times a second: the epoch's bar, steps, running loss and
 * time left, the whole run's share and time left, then `scoring test
 * 6000/10000` while the epoch's end is scored. Every
 * line on a terminal fits its width: the least important fields go first.
 * When stderr is not a terminal: plain full lines, no control characters.
 */
export function createProgress(options: ProgressOptions): (event: RunEvent) => void {
  const { stream, epochs, stepsPerEpoch } = options;
  const now = options.now ?? (() => performance.now());
  const live = stream.isTTY === true;
  const colour = usesColour(stream);
  let banner: string | undefined = options.banner;
  let lastDraw = -Infinity;
  const runStart = now();
  const runStartIteration = options.startIteration ?? 0;
  let epochStart = runStart;
  let epochStartIteration = runStartIteration;
  let lossSum = 0;
  let losses = 0;
  let best = options.bestTestAccuracy ?? -Infinity;
  const columns: EpochColumns = { epochs, iterations: String(epochs * stepsPerEpoch).length };
  const draw = (line: string): void => {
    stream.write(`\r\x1b[2K${line}`);
  };
  return (event) => {
    if (banner !== undefined) {
      stream.write(`${wrapLine(banner, lineWidth(stream)).join('\n')}\n`);
      banner = undefined;
    }
    if (event.kind === 'stopped' || event.kind === 'early-stopped') {
      if (live) stream.write('\r\x1b[2K');
      return;
    }
    if (event.kind === 'scoring') {
      const time = now();
      if (!live || time - lastDraw < 100) return;
      lastDraw = time;
      const total = event.total === undefined ? '' : `/${event.total}`;
      const fields: LineField[] = [
        { text: `epoch ${String(event.epoch).padStart(String(epochs).length)}/${epochs}`, drop: 0 },
        { text: `scoring ${event.set === 'validation' ? 'val' : event.set} ${event.done}${total}`, drop: 1 },
        { text: `loss ${(lossSum / losses).toFixed(4)}`, drop: 3 },
      ];
      draw(fitLine(fields, lineWidth(stream)));
      return;
    }
    if (event.kind === 'epoch') {
      if (live) stream.write('\r\x1b[2K');
      const selected = event.valAccuracy ?? event.testAccuracy;
      const isBest = selected > best;
      if (isBest) best = selected;
      const line = fitLine(epochFields(event, columns), lineWidth(stream));
      const mark = isBest ? '  *' : '';
      const width = lineWidth(stream);
      const fits = width === undefined || line.length + mark.length <= width;
      stream.write(`${line}${fits ? (colour && isBest ? green(mark) : mark) : ''}\n`);
      epochStart = now();
      epochStartIteration = event.iteration;
      lossSum = 0;
      losses = 0;
      return;
    }
    lossSum += event.loss;
    losses++;
    if (!live) return;
    const done = event.iteration - epochStartIteration;
    const scoring = done >= stepsPerEpoch;
    const time = now();
    if (time - lastDraw < 100 && !scoring) return;
    lastDraw = time;
    const rate = losses / Math.max((time - epochStart) / 1000, 1e-9);
    const runSteps = epochs * stepsPerEpoch - runStartIteration;
    const runDone = event.iteration - runStartIteration;
    const runRate = runDone / Math.max((time - runStart) / 1000, 1e-9);
    const status: StatusLine = {
      epoch: `epoch ${String(event.epoch).padStart(String(epochs).length)}/${epochs}`,
      steps: `${String(done).padStart(String(stepsPerEpoch).length)}/${stepsPerEpoch}`,
      share: Math.min(1, done / stepsPerEpoch),
      rate: `${rate.toFixed(0)} steps/s`,
      loss: `loss ${(lossSum / losses).toFixed(4)}`,
      eta: scoring ? 'evaluating train and test sets' : `ETA ${clockTime(Math.max(0, stepsPerEpoch - done) / rate)}`,
      run: `run ${Math.floor((100 * Math.max(0, event.iteration)) / (epochs * stepsPerEpoch))}% ETA ${clockTime(Math.max(0, runSteps - runDone) / runRate)}`,
    };
    draw(statusLine(status, lineWidth(stream)));
  };
}

interface StatusLine {
  readonly epoch: string;
  readonly steps: string;
  /** The part of the epoch done, 0 to 1. */
  readonly share: number;
  readonly rate: string;
  readonly loss: string;
  readonly eta: string;
  readonly run: string;
}

/** The bar takes what the other fields leave, between BAR_MIN and BAR_MAX; dropped if even BAR_MIN does not fit. */
function statusLine(s: StatusLine, width: number | undefined): string {
  const bar = (n: number): string => {
    const filled = Math.min(n, Math.round(s.share * n));
    return `[${'#'.repeat(filled)}${'-'.repeat(n - filled)}]`;
  };
  const fields = (barText: string | undefined): LineField[] => [
    { text: s.epoch, drop: 0 },
    ...(barText === undefined ? [] : [{ text: barText, drop: 5 }]),
    { text: s.steps, drop: 1 },
    { text: s.eta, drop: 2 },
    { text: s.loss, drop: 3 },
    { text: s.run, drop: 4 },
    { text: s.rate, drop: 6 },
  ];
  const without = fitLine(fields(undefined), width);
  const room = width === undefined ? BAR_MAX : width - without.length - 2 - 2;
  if (room < BAR_MIN) return without;
  return fitLine(fields(bar(Math.min(BAR_MAX, room))), width);
}

interface EpochColumns {
  readonly epochs: number;
  /** Characters of the largest iteration number, so that the columns line up. */
  readonly iterations: number;
}

function epochFields(e: EpochReport, c: EpochColumns): LineField[] {
  return [
    { text: `epoch ${String(e.epoch).padStart(String(c.epochs).length)}/${c.epochs}`, drop: 0 },
    { text: `iter ${String(e.iteration).padStart(c.iterations)}`, drop: 5 },
    { text: `train_loss ${e.trainLoss.toFixed(4)}`, drop: 4 },
    { text: `train_acc ${e.trainAccuracy.toFixed(4)}`, drop: 2 },
    ...(e.valLoss === undefined ? [] : [{ text: `val_loss ${e.valLoss.toFixed(4)}`, drop: 3 }]),
    ...(e.valAccuracy === undefined ? [] : [{ text: `val_acc ${e.valAccuracy.toFixed(4)}`, drop: 1 }]),
    { text: `test_loss ${e.testLoss.toFixed(4)}`, drop: 3 },
    { text: `test_acc ${e.testAccuracy.toFixed(4)}`, drop: 1 },
    { text: `${e.seconds.toFixed(1).padStart(6)}s`, drop: 6 },
  ];
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clockTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
