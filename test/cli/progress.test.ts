import { describe, expect, it } from 'vitest';
import { clockTime, createProgress } from '../../src/cli/progress.js';
import type { EpochReport, StepResult } from '../../src/index.js';

const step = (iteration: number, loss: number): StepResult => ({ kind: 'step', epoch: 1, iteration, loss, rows: 10, learningRate: 0.1 });
const epoch: EpochReport = {
  kind: 'epoch', epoch: 1, iteration: 4, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.6, testAccuracy: 0.85, learningRate: 0.1, seconds: 2,
};

function capture(isTTY: boolean): { text: () => string; stream: { isTTY: boolean; write: (s: string) => boolean } } {
  let text = '';
  return { text: () => text, stream: { isTTY, write: (s: string) => ((text += s), true) } };
}

describe('training progress on stderr', () => {
  it('on a terminal: a bar with steps done, steps/s, the running loss and the time left, redrawn in place', () => {
    const out = capture(true);
    let time = 0;
    const progress = createProgress({ stream: out.stream, banner: 'start', epochs: 2, stepsPerEpoch: 4, now: () => time });
    time = 1000;
    progress(step(1, 1.0)); // 1 step in 1 s: 1 step/s, 3 steps left: ETA 0:03
    time = 1050;
    progress(step(2, 0.5)); // within 100 ms of the last draw: not redrawn
    time = 2000;
    progress(step(3, 0.0)); // 3 steps in 2 s: 2 steps/s (rounded), loss (1 + 0.5 + 0) / 3
    progress(epoch);
    expect(out.text()).toBe(
      'start\n' +
        '\r\x1b[2Kepoch 1/2 [######------------------] 1/4  1 steps/s  loss 1.0000  ETA 0:03' +
        '\r\x1b[2Kepoch 1/2 [##################------] 3/4  2 steps/s  loss 0.5000  ETA 0:01' +
        '\r\x1b[2Kepoch 1/2  iter 4  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.8500  2.0s\n',
    );
  });

  it('not on a terminal: the banner and exactly one plain line per epoch, no control characters', () => {
    const out = capture(false);
    const progress = createProgress({ stream: out.stream, banner: 'start', epochs: 2, stepsPerEpoch: 4 });
    for (let i = 1; i <= 4; i++) progress(step(i, 1));
    progress(epoch);
    expect(out.text()).toBe('start\nepoch 1/2  iter 4  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.8500  2.0s\n');
  });

  it('formats times', () => {
    expect([clockTime(0), clockTime(75), clockTime(3725), clockTime(Infinity)]).toEqual(['0:00', '1:15', '1:02:05', '?']);
  });
});
