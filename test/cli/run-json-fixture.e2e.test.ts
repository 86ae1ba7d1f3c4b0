import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nestSettings } from '../../src/core/settings-record.js';
import { readEpochsCsv } from '../helpers/csv.js';
import { runRxnn } from './run-rxnn.js';

// run.json as rxnn 0.1.0 wrote it (flat settings), for `rxnn train --epochs 1 --hidden 10 --batch-size 500 --lr 0.5 --seed 7 --simd plain`
// on the bundled MNIST; its paths are another machine's, its digests those of the bundled files.
const FIXTURE = fileURLToPath(new URL('../fixtures/run-json-0.1/run.json', import.meta.url));

describe('a run.json written by rxnn 0.1.0', () => {
  it('resumes: the recorded flags are read back, the run retrains from the start and extends to --epochs 2', async () => {
    const fixture = JSON.parse(await readFile(FIXTURE, 'utf8'));
    const dir = await mkdtemp(join(tmpdir(), 'rxnn-old-run-'));
    await copyFile(FIXTURE, join(dir, 'run.json'));
    const result = await runRxnn(['train', '--resume', dir, '--epochs', '2', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows = await readEpochsCsv(join(dir, 'epochs.csv'));
    expect(rows.map((r) => r.iteration)).toEqual([120, 240]);
    // the numbers of the run that wrote the fixture, bit for bit
    const { train_loss, train_acc, test_loss, test_acc } = rows[0]!;
    const { final } = fixture;
    expect({ train_loss, train_acc, test_loss, test_acc }).toEqual({ train_loss: final.train_loss, train_acc: final.train_acc, test_loss: final.test_loss, test_acc: final.test_acc });
    const manifest = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(manifest.args).toEqual({ ...fixture.args, epochs: 2 });
    // the same settings, now in their groups
    expect(manifest.settings).toEqual(nestSettings({ ...fixture.settings, epochs: 2 }));
    expect(manifest.resumes).toHaveLength(1);
    expect(manifest.status).toBe('completed');
  });
});
