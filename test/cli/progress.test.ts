import { describe, expect, it } from 'vitest';
import { clockTime, createProgress } from '../../src/cli/progress.js';
import { fitLine, wrapLine } from '../../src/cli/fit-line.js';
import { trainSummaryTable } from '../../src/cli/train-summary-table.js';
import type { EpochReport, StepResult } from '../../src/index.js';

const step = (iteration: number, loss: number, epoch = 1): StepResult => ({ kind: 'step', epoch, iteration, loss, rows: 10, learningRate: 0.1 });
const epochAt = (epoch: number, iteration: number, testAccuracy: number, seconds: number): EpochReport => ({
  kind: 'epoch', epoch, iteration, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.6, testAccuracy, learningRate: 0.1, seconds,
});
const epoch = epochAt(1, 4, 0.85, 2);

interface FakeStream {
  isTTY: boolean;
  columns?: number;
  hasColors?: () => boolean;
  write: (s: string) => boolean;
}

function capture(isTTY: boolean, columns?: number, colours = false): { text: () => string; stream: FakeStream } {
  let text = '';
  const stream: FakeStream = { isTTY, write: (s: string) => ((text += s), true), hasColors: () => colours };
  if (columns !== undefined) stream.columns = columns;
  return { text: () => text, stream };
}

/** What a terminal shows: each \r\x1b[2K starts the line over; returns every line as it was ever drawn. */
function drawnLines(text: string): string[] {
  return text.split('\n').flatMap((line) => line.split('\r\x1b[2K')).filter((l) => l !== '');
}

describe('training progress on stderr', () => {
  it('on a terminal: a bar with steps done, the time left in the epoch and in the run, redrawn in place; evaluating at the epoch end', () => {
    const out = capture(true, 200);
    let time = 0;
    const progress = createProgress({ stream: out.stream, banner: 'start', epochs: 2, stepsPerEpoch: 4, now: () => time });
    time = 1000;
    progress(step(1, 1.0)); // 1 step in 1 s: 1 step/s, 3 steps left in the epoch, 7 in the run
    time = 1050;
    progress(step(2, 0.5)); // within 100 ms of the last draw: not redrawn
    time = 2000;
    progress(step(3, 0.0)); // 3 steps in 2 s: 2 steps/s (rounded), loss (1 + 0.5 + 0) / 3
    time = 2010;
    progress(step(4, 0.5)); // the epoch's last step: always drawn, and the epoch is being scored
    progress(epoch);
    expect(out.text()).toBe(
      'start\n' +
        '\r\x1b[2Kepoch 1/2  [######------------------]  1/4  ETA 0:03  loss 1.0000  run 12% ETA 0:07  1 steps/s' +
        '\r\x1b[2Kepoch 1/2  [##################------]  3/4  ETA 0:01  loss 0.5000  run 37% ETA 0:03  2 steps/s' +
        '\r\x1b[2Kepoch 1/2  [########################]  4/4  evaluating train and test sets  loss 0.5000  run 50% ETA 0:02  2 steps/s' +
        '\r\x1b[2Kepoch 1/2  iter 4  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.8500     2.0s  *\n',
    );
  });

  it('not on a terminal: the banner and exactly one plain line per epoch, aligned, the best test accuracy marked', () => {
    const out = capture(false);
    const progress = createProgress({ stream: out.stream, banner: 'start', epochs: 10, stepsPerEpoch: 400 });
    for (let i = 1; i <= 400; i++) progress(step(i, 1));
    progress(epochAt(1, 400, 0.85, 2));
    for (let i = 401; i <= 800; i++) progress(step(i, 1, 2));
    progress(epochAt(2, 800, 0.84, 12.25));
    for (let i = 801; i <= 1200; i++) progress(step(i, 1, 3));
    progress(epochAt(3, 1200, 0.9, 123.5));
    expect(out.text()).toBe(
      'start\n' +
        'epoch  1/10  iter  400  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.8500     2.0s  *\n' +
        'epoch  2/10  iter  800  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.8400    12.3s\n' +
        'epoch  3/10  iter 1200  train_loss 0.5000  train_acc 0.9000  test_loss 0.6000  test_acc 0.9000   123.5s  *\n',
    );
  });

  it('a resumed run marks only epochs better than those before the resume', () => {
    const out = capture(false);
    const progress = createProgress({ stream: out.stream, banner: 'b', epochs: 3, stepsPerEpoch: 4, startIteration: 4, bestTestAccuracy: 0.9 });
    progress(epochAt(2, 8, 0.89, 1));
    progress(epochAt(3, 12, 0.91, 2));
    expect(out.text().split('\n').map((l) => l.endsWith('*'))).toEqual([false, false, true, false]);
  });

  it('no line is ever wider than the terminal, at any width from 40 to 200 columns', () => {
    for (let columns = 40; columns <= 200; columns++) {
      const out = capture(true, columns);
      let time = 0;
      const progress = createProgress({ stream: out.stream, banner: 'b', epochs: 17, stepsPerEpoch: 600, startIteration: 0, now: () => time });
      for (let e = 1; e <= 2; e++) {
        for (let s = 1; s <= 600; s++) {
          time += 37;
          progress(step((e - 1) * 600 + s, 2.3 / s, e));
        }
        progress(epochAt(e, e * 600, 0.9 + e / 100, time / 1000));
      }
      const lines = drawnLines(out.text());
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) expect(line.length, `${columns} columns: ${JSON.stringify(line)}`).toBeLessThan(columns);
      // The most important fields survive: the epoch, and on the epoch lines the test accuracy.
      expect(lines.filter((l) => l.includes('test_acc 0.9200')).length).toBe(1);
      expect(lines.filter((l) => l.startsWith('epoch  2/17')).length).toBeGreaterThan(1);
    }
  });

  it('shows the scoring of the full sets at the epoch end, and validation beside train and test; marks the best validation accuracy', () => {
    const out = capture(true, 200);
    let time = 0;
    const progress = createProgress({ stream: out.stream, banner: 'b', epochs: 2, stepsPerEpoch: 1, now: () => time });
    progress(step(1, 1.0));
    for (const [set, done, total] of [['train', 1000, 54000], ['validation', 6000, 6000], ['test', 6000, 10000]] as const) {
      time += 200;
      progress({ kind: 'scoring', epoch: 1, set, done, total });
    }
    const report = (epoch: number, valAccuracy: number, testAccuracy: number): EpochReport => ({ ...epochAt(epoch, epoch, testAccuracy, 2), valLoss: 0.7, valAccuracy });
    progress(report(1, 0.8, 0.85));
    progress(report(2, 0.79, 0.9)); // a better test accuracy is not the best: the validation set chooses
    const lines = drawnLines(out.text());
    expect(lines).toContain('epoch 1/2  scoring train 1000/54000  loss 1.0000');
    expect(lines).toContain('epoch 1/2  scoring val 6000/6000  loss 1.0000');
    expect(lines).toContain('epoch 1/2  scoring test 6000/10000  loss 1.0000');
    expect(lines).toContain('epoch 1/2  iter 1  train_loss 0.5000  train_acc 0.9000  val_loss 0.7000  val_acc 0.8000  test_loss 0.6000  test_acc 0.8500     2.0s  *');
    expect(lines.at(-1)).toBe('epoch 2/2  iter 2  train_loss 0.5000  train_acc 0.9000  val_loss 0.7000  val_acc 0.7900  test_loss 0.6000  test_acc 0.9000     2.0s');
  });

  it('the banner fits the terminal at any width from 40 to 200 columns, broken at spaces, nothing lost; whole when piped', () => {
    const banner =
      'rxnn: training 784-50-10 (39,760 parameters; sigmoid, init normal:0.01; sgd lr 0.1) on 60000 images (test 10000), ' +
      '17 epochs of 600 steps, in runs/2026-12-06T02-34-14Z; kernels: wasm, relaxed SIMD, 2 threads';
    for (let columns = 40; columns <= 200; columns++) {
      const out = capture(true, columns);
      createProgress({ stream: out.stream, banner, epochs: 17, stepsPerEpoch: 600 })(step(1, 2.3));
      const lines = out.text().split('\r\x1b[2K')[0]!.split('\n').filter((l) => l !== '');
      for (const line of lines) expect(line.length, `${columns} columns: ${JSON.stringify(line)}`).toBeLessThan(columns);
      expect(lines.map((l) => l.trim()).join(' '), `${columns} columns`).toBe(banner);
    }
    const piped = capture(false);
    createProgress({ stream: piped.stream, banner, epochs: 17, stepsPerEpoch: 600 })(step(1, 2.3));
    expect(piped.text()).toBe(`${banner}\n`);
  });

  it('cuts a word wider than the line', () => {
    expect(wrapLine('a runs/a-very-long-folder-name b', 10)).toEqual(['a', '  runs/a-v', '  b']);
    expect(wrapLine('short', 10)).toEqual(['short']);
    expect(wrapLine('not a terminal: never broken', undefined)).toEqual(['not a terminal: never broken']);
  });

  it('colours the best-so-far mark only on a terminal with colours', () => {
    const plain = capture(true, 120, false);
    createProgress({ stream: plain.stream, banner: 'b', epochs: 1, stepsPerEpoch: 4 })(epoch);
    expect(plain.text()).not.toContain('\x1b[32m');
    const coloured = capture(true, 120, true);
    createProgress({ stream: coloured.stream, banner: 'b', epochs: 1, stepsPerEpoch: 4 })(epoch);
    expect(coloured.text()).toContain('\x1b[32m  *\x1b[39m\n');
  });

  it('drops the least important fields first, then cuts', () => {
    const fields = [{ text: 'aaaa', drop: 0 }, { text: 'bb', drop: 2 }, { text: 'cc', drop: 1 }];
    expect(fitLine(fields, 20)).toBe('aaaa  bb  cc');
    expect(fitLine(fields, 10)).toBe('aaaa  cc');
    expect(fitLine(fields, 5)).toBe('aaaa');
    expect(fitLine(fields, 3)).toBe('aaa');
    expect(fitLine(fields, undefined)).toBe('aaaa  bb  cc');
  });

  it('formats times', () => {
    expect([clockTime(0), clockTime(75), clockTime(3725), clockTime(Infinity)]).toEqual(['0:00', '1:15', '1:02:05', '?']);
  });

  it('ends with a short table of the final and the best epoch', () => {
    const row = (epoch: number, test_acc: number) => ({ epoch, iteration: epoch * 600, train_loss: 0.3, train_acc: 0.91, test_loss: 0.29, test_acc, lr: 0.1, seconds: epoch });
    expect(trainSummaryTable([row(1, 0.9), row(2, 0.95), row(3, 0.94)], 21.26, 'runs/x')).toBe(
      'rxnn: done in 21.3 s, 1800 steps, in runs/x\n' +
        '  final epoch 3  train_acc 0.9100  test_acc 0.9400  test_loss 0.2900\n' +
        '  best  epoch 2  train_acc 0.9100  test_acc 0.9500  test_loss 0.2900\n',
    );
    expect(trainSummaryTable([row(1, 0.9)], 1, 'runs/x', 40).split('\n')[1]).toBe('  final epoch 1  test_acc 0.9000');
    // with a validation set, the best epoch is the validation set's choice
    const rows = [{ ...row(1, 0.9), val_acc: 0.93 }, { ...row(2, 0.95), val_acc: 0.92 }];
    expect(trainSummaryTable(rows, 1, 'runs/x').split('\n')[2]).toBe('  best  epoch 1  train_acc 0.9100  val_acc 0.9300  test_acc 0.9000  test_loss 0.2900');
  });
});
