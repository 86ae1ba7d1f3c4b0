// rxnn sweep: trials as rxnn train processes, --trial for schedulers, a stop with SIGINT and a re-run that resumes.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RXNN, runRxnn } from '../cli/run-rxnn.js';
import { writeMnistSlice, type SliceFiles } from '../helpers/mnist-slice.js';
import { runOutcome } from '../helpers/run-files.js';

let slice: SliceFiles;
let study: string;
const EPOCHS = 8;
const TRIALS = ['trial-0000', 'trial-0001', 'trial-0002', 'trial-0003'];

beforeAll(async () => {
  slice = await writeMnistSlice(1000, 200);
  study = join(slice.dir, 'study.yaml');
  await writeFile(
    study,
    [
      '# two learning rates, two seeds each',
      'base:',
      `  epochs: ${EPOCHS}`,
      '  batch-size: 20',
      '  hidden: "32"',
      '  threads: 1',
      `  train-images: ${slice.trainImages}`,
      `  train-labels: ${slice.trainLabels}`,
      `  test-images: ${slice.testImages}`,
      `  test-labels: ${slice.testLabels}`,
      'grid:',
      '  lr: [0.5, 0.2]',
      '  seed: [0, 1]',
      '',
    ].join('\n'),
  );
});

const lastCheckpoint = `epoch-${String(EPOCHS).padStart(4, '0')}.safetensors`;
const outcome = (sweep: string, trial: string) => runOutcome(join(sweep, trial), lastCheckpoint);
const status = async (folder: string): Promise<string> => JSON.parse(await readFile(join(folder, 'run.json'), 'utf8')).status;

describe('rxnn sweep', () => {
  it('--list prints the number of trials, then each trial with its flags', async () => {
    const result = await runRxnn(['sweep', study, '--list']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('4');
    expect(lines.slice(1).map((line) => line.split('\t')[0])).toEqual(['0', '1', '2', '3']);
    expect(lines[3]).toMatch(/^2\t--epochs 8 --batch-size 20 --hidden 32 --threads 1 --train-images .* --lr 0\.2 --seed 0$/);
  });

  it("the README's example sweep files give 12 trials each, the random one the same draws every time", async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const grid = await runRxnn(['sweep', 'examples/lr-hidden.yaml', '--list'], { cwd: root });
    expect(grid.stdout.split('\n')[0]).toBe('12');
    expect(grid.stdout).toContain('11\t--epochs 5 --threads 1 --lr 0.1 --hidden 100 --seed 2\n');
    const random = await runRxnn(['sweep', 'examples/random-search.yaml', '--list'], { cwd: root });
    expect(random.status).toBe(0);
    expect(random.stdout.split('\n')[0]).toBe('12');
    expect((await runRxnn(['sweep', 'examples/random-search.yaml', '--list'], { cwd: root })).stdout).toBe(random.stdout);
    const draws = random.stdout.trimEnd().split('\n').slice(1).map((line) => line.split('\t')[1]!.replace(/ --seed \d$/, ''));
    expect(new Set(draws).size).toBe(6);
  });

  it('runs every trial in its own folder, --parallel 2, and tabulates them best first, with mean ± std over seeds', async () => {
    const sweep = join(slice.dir, 'local');
    const result = await runRxnn(['sweep', study, '--out', sweep, '--parallel', '2']);
    expect(result.status, result.stderr).toBe(0);
    expect((await readdir(sweep)).sort()).toEqual(['sweep.json', ...TRIALS]);
    for (const trial of TRIALS) expect(await status(join(sweep, trial))).toBe('completed');
    expect(result.stderr).toMatch(/trial 3\/4 started: --lr 0\.2 --seed 1\n/);

    const finalAcc = async (trial: string): Promise<number> => {
      const rows = (await readFile(join(sweep, trial, 'epochs.csv'), 'utf8')).trimEnd().split('\n');
      return Number(rows.at(-1)!.split(',')[5]);
    };
    const accuracies = await Promise.all(TRIALS.map(finalAcc));
    const [table, seeds] = result.stdout.split('\nover seeds (mean ± std):\n') as [string, string];
    const rows = table.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^trial\s+lr\s+seed\s+epochs\s+train_acc\s+test_acc\s+best_test_acc/);
    const listed = rows.slice(1).map((row) => row.split(/\s+/));
    expect(listed.map((cells) => Number(cells[5]))).toEqual([...accuracies].sort((a, b) => b - a).map((a) => Number(a.toFixed(4))));
    expect(listed.map((cells) => cells[0]).sort()).toEqual(TRIALS);

    const mean = (a: number, b: number): number => (a + b) / 2;
    const std = (a: number, b: number): number => Math.abs(a - b) / Math.SQRT2;
    const expected = [
      { lr: '0.5', cell: `${mean(accuracies[0]!, accuracies[1]!).toFixed(4)} ± ${std(accuracies[0]!, accuracies[1]!).toFixed(4)}`, m: mean(accuracies[0]!, accuracies[1]!) },
      { lr: '0.2', cell: `${mean(accuracies[2]!, accuracies[3]!).toFixed(4)} ± ${std(accuracies[2]!, accuracies[3]!).toFixed(4)}`, m: mean(accuracies[2]!, accuracies[3]!) },
    ].sort((a, b) => b.m - a.m);
    const seedRows = seeds.trimEnd().split('\n');
    expect(seedRows[0]).toMatch(/^lr\s+runs\s+seeds\s+train_acc\s+test_acc\s+best_test_acc$/);
    seedRows.slice(1).forEach((row, i) => {
      expect(row.startsWith(`${expected[i]!.lr}  `)).toBe(true);
      expect(row).toContain(` 2     0 1 `);
      expect(row.split(/\s{2,}/)[4]).toBe(expected[i]!.cell);
    });

    const csv = await runRxnn(['sweep', study, '--out', sweep, '--seeds', '--csv', '--quiet']);
    expect(csv.status).toBe(0);
    expect(csv.stderr).toBe('');
    const [header, ...csvRows] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('lr,runs,seeds,train_acc_mean,train_acc_std,test_acc_mean,test_acc_std,best_test_acc_mean,best_test_acc_std');
    expect(csvRows.map((row) => Number(row.split(',')[5]))).toEqual(expected.map((e) => e.m));
  });

  it('a re-run skips the finished trials; --trial I runs trial I alone, bit for bit as the local sweep did', async () => {
    const local = join(slice.dir, 'local');
    const again = await runRxnn(['sweep', study, '--out', local]);
    expect(again.status).toBe(0);
    expect(again.stderr.match(/already finished \(completed\)/g)).toHaveLength(4);
    expect(again.stderr).not.toMatch(/started/);

    const cluster = join(slice.dir, 'cluster');
    for (const index of [3, 0, 2, 1]) {
      const result = await runRxnn(['sweep', study, '--out', cluster, '--trial', String(index)]);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ epochs: EPOCHS, status: 'completed', out: join(cluster, TRIALS[index]!) });
    }
    for (const trial of TRIALS) expect(await outcome(cluster, trial)).toEqual(await outcome(local, trial));
    const done = await runRxnn(['sweep', study, '--out', cluster, '--trial', '1']);
    expect(done.status).toBe(0);
    expect(done.stderr).toMatch(/trial 1 already finished \(completed\)/);
  });

  it('stopped by SIGINT, it saves the running trial; run again, it resumes it and finishes, with the same numbers', async () => {
    const sweep = join(slice.dir, 'interrupted');
    const child = spawn(process.execPath, [RXNN, 'sweep', study, '--out', sweep], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Stop during trial 1, once it has finished two of its epochs.
    const epochsCsv = join(sweep, 'trial-0001', 'epochs.csv');
    for (;;) {
      const rows = await readFile(epochsCsv, 'utf8').then((text) => text.trimEnd().split('\n').length - 1, () => 0);
      if (rows >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/rxnn: sweep stopped by SIGINT; run the same command again to resume it\n$/);
    expect(await status(join(sweep, 'trial-0000'))).toBe('completed');
    expect(await status(join(sweep, 'trial-0001'))).toBe('interrupted');
    expect((await readdir(sweep)).sort()).toEqual(['sweep.json', 'trial-0000', 'trial-0001']);

    const rerun = await runRxnn(['sweep', study, '--out', sweep]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/trial 0\/4 already finished \(completed\)/);
    expect(rerun.stderr).toMatch(/trial 1\/4 resumed \(was interrupted\)/);
    const manifest = JSON.parse(await readFile(join(sweep, 'trial-0001', 'run.json'), 'utf8'));
    expect(manifest.resumes).toHaveLength(1);
    for (const trial of TRIALS) {
      expect(await status(join(sweep, trial))).toBe('completed');
      expect(await outcome(sweep, trial)).toEqual(await outcome(join(slice.dir, 'local'), trial));
    }
  });

  it('refuses bad input with one line and exit status 2', async () => {
    const write = async (name: string, text: string): Promise<string> => {
      const path = join(slice.dir, name);
      await writeFile(path, text);
      return path;
    };
    const changed = await write('changed.yaml', (await readFile(study, 'utf8')).replace('lr: [0.5, 0.2]', 'lr: [0.5, 0.3]'));
    const cases: [string[], RegExp][] = [
      [['sweep', join(slice.dir, 'missing.yaml')], /missing\.yaml: cannot read the sweep file: no such file/],
      [['sweep', await write('bad.yaml', 'grid: [\n')], /bad\.yaml: not valid YAML or JSON: /],
      [['sweep', await write('typo.yaml', 'grid:\n  lr: [0.1]\n  learning-rate: [0.1]\n')], /typo\.yaml: learning-rate: not a flag of rxnn train a sweep can set/],
      [['sweep', await write('out.yaml', 'base:\n  out: somewhere\n')], /out\.yaml: out: the sweep sets each trial's --out/],
      [['sweep', await write('empty.yaml', 'grid:\n  lr: []\n')], /empty\.yaml: grid\.lr: a grid setting needs at least one value/],
      [['sweep', study, '--trial', '4'], /--trial: expected 0 to 3 \(the sweep has 4 trials\), got 4/],
      [['sweep', study, '--parallel', '0'], /--parallel: expected 1 or more, got 0/],
      [['sweep', changed, '--out', join(slice.dir, 'local')], /local\/sweep\.json: this folder holds another sweep \(trial 2 differs\)/],
    ];
    for (const [args, message] of cases) {
      const result = await runRxnn(args, { cwd: slice.dir });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('a trial that rxnn train refuses fails the sweep with exit status 2, naming the trial and the problem', async () => {
    const bad = join(slice.dir, 'bad-lr.yaml');
    await writeFile(bad, (await readFile(study, 'utf8')).replace('lr: [0.5, 0.2]', 'lr: [0.5, fast]').replace('seed: [0, 1]', 'seed: [0]'));
    const result = await runRxnn(['sweep', bad, '--out', join(slice.dir, 'bad-lr')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('rxnn: 1 of 2 trials failed; trial 1: --lr: expected a number, got "fast"');
  });

  it('a trial folder holding a forged run.json fails that trial (exit status 2, naming the file); the others run', async () => {
    const sweep = join(slice.dir, 'forged');
    await mkdir(join(sweep, 'trial-0002'), { recursive: true });
    await writeFile(join(sweep, 'trial-0002', 'run.json'), '{"format": 1');
    const result = await runRxnn(['sweep', study, '--out', sweep, '--parallel', '2']);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^rxnn: 1 of 4 trials failed; trial 2: .*trial-0002\/run\.json: not valid JSON$/);
    for (const trial of ['trial-0000', 'trial-0001', 'trial-0003']) expect(await status(join(sweep, trial))).toBe('completed');
    expect(result.stdout).toMatch(/^trial\s+lr\s+seed/);
  });
});

