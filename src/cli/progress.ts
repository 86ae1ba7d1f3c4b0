import type { EpochReport } from '../model/evaluate-epochs.js';
import type { RunEvent } from '../run/train-run.js';

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  /** A line shown once the run has started (its folder is ready). */
  readonly banner: string;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** The iteration the first epoch shown started at (a resumed run starts inside its history). */
  readonly startIteration?: number;
}

/**
 * Training progress for people, on stderr: one line per finished epoch and,
 * on a terminal only, a step counter redrawn in place at most 10 times a second.
 */
export function createProgress(options: ProgressOptions): (event: RunEvent) => void {
  const { stream, epochs, stepsPerEpoch } = options;
  const live = stream.isTTY === true;
  let banner: string | undefined = options.banner;
  let lastDraw = 0;
  let epochStart = performance.now();
  let epochStartIteration = options.startIteration ?? 0;
  const width = String(epochs).length;
  return (event) => {
    if (banner !== undefined) {
      stream.write(`${banner}\n`);
      banner = undefined;
    }
    if (event.kind === 'epoch') {
      if (live) stream.write('\r\x1b[2K');
      stream.write(`${epochLine(event, epochs, width)}\n`);
      epochStart = performance.now();
      epochStartIteration = event.iteration;
      return;
    }
    if (!live || event.kind === 'stopped') return;
    const now = performance.now();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    const done = event.iteration - epochStartIteration;
    const rate = done / ((now - epochStart) / 1000);
    stream.write(
      `\r\x1b[2Kepoch ${String(event.epoch).padStart(width)}/${epochs}  step ${done}/${stepsPerEpoch}` +
        `  loss ${event.loss.toFixed(4)}  ${rate.toFixed(0)} steps/s`,
    );
  };
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
