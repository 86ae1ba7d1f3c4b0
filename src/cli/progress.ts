import type { EpochReport } from '../model/evaluate-epochs.js';
import type { RunEvent } from '../run/train-run.js';

export interface ProgressOptions {
  /** stderr; only `write` and `isTTY` are used. */
  readonly stream: Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean };
  /** A line shown once the run has started (its folder is ready). */
  readonly banner: string;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** The iteration the first epoch shown started at (a resumed run starts inside its history). */
  readonly startIteration?: number;
  /** Milliseconds since some origin; performance.now by default (tests pass a fake clock). */
  readonly now?: () => number;
}

const BAR_WIDTH = 24;

/**
 * Training progress for people, on stderr: one line per finished epoch and,
 * on a terminal only, a bar for the epoch (steps done, steps/s, the epoch's
 * running loss, time left in the epoch) redrawn in place at most 10 times a
 * second. When stderr is not a terminal: plain lines, no control characters.
 */
export function createProgress(options: ProgressOptions): (event: RunEvent) => void {
  const { stream, epochs, stepsPerEpoch } = options;
  const now = options.now ?? (() => performance.now());
  const live = stream.isTTY === true;
  let banner: string | undefined = options.banner;
  let lastDraw = -Infinity;
  let epochStart = now();
  let epochStartIteration = options.startIteration ?? 0;
  let lossSum = 0;
  let losses = 0;
  const width = String(epochs).length;
  return (event) => {
    if (banner !== undefined) {
      stream.write(`${banner}\n`);
      banner = undefined;
    }
    if (event.kind === 'stopped') {
      if (live) stream.write('\r\x1b[2K');
      return;
    }
    if (event.kind === 'epoch') {
      if (live) stream.write('\r\x1b[2K');
      stream.write(`${epochLine(event, epochs, width)}\n`);
      epochStart = now();
      epochStartIteration = event.iteration;
      lossSum = 0;
      losses = 0;
      return;
    }
    lossSum += event.loss;
    losses++;
    if (!live) return;
    const time = now();
    if (time - lastDraw < 100) return;
    lastDraw = time;
    const done = event.iteration - epochStartIteration;
    const rate = losses / Math.max((time - epochStart) / 1000, 1e-9);
    const filled = Math.min(BAR_WIDTH, Math.round((done / stepsPerEpoch) * BAR_WIDTH));
    const left = Math.max(0, stepsPerEpoch - done) / rate;
    stream.write(
      `\r\x1b[2Kepoch ${String(event.epoch).padStart(width)}/${epochs} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]` +
        ` ${done}/${stepsPerEpoch}  ${rate.toFixed(0)} steps/s  loss ${(lossSum / losses).toFixed(4)}  ETA ${clockTime(left)}`,
    );
  };
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

function epochLine(e: EpochReport, epochs: number, width: number): string {
  return [
    `epoch ${String(e.epoch).padStart(width)}/${epochs}`,
    `iter ${e.iteration}`,
    `train_loss ${e.trainLoss.toFixed(4)}`,
    `train_acc ${e.trainAccuracy.toFixed(4)}`,
    `test_loss ${e.testLoss.toFixed(4)}`,
    `test_acc ${e.testAccuracy.toFixed(4)}`,
    `${e.seconds.toFixed(1)}s`,
  ].join('  ');
}
