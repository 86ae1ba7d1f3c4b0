import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunMetrics } from '../../src/report/run-metrics.js';

const HEADER = 'epoch,iteration,train_loss,train_acc,test_loss,test_acc,lr,seconds';

async function runFolder(epochs: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rxnn-metrics-'));
  await writeFile(join(dir, 'epochs.csv'), epochs);
  await writeFile(join(dir, 'steps.csv'), 'epoch,iteration,loss\n1,1,2.3\n');
  return dir;
}

describe('readRunMetrics', () => {
  it('reads the validation columns where the run has them, and tolerates their absence or empty cells', async () => {
    const withValidation = await runFolder(`${HEADER},val_loss,val_acc\n1,10,0.5,0.9,0.6,0.88,0.1,1.5,0.55,0.89\n2,20,0.4,0.92,0.5,0.9,0.1,3,0.45,0.91\n`);
    expect((await readRunMetrics(withValidation)).epochs.map((e) => [e.val_loss, e.val_acc])).toEqual([[0.55, 0.89], [0.45, 0.91]]);
    const empty = await readRunMetrics(await runFolder(`${HEADER},val_loss,val_acc\n1,10,0.5,0.9,0.6,0.88,0.1,1.5,,\n`));
    expect(empty.epochs[0]).not.toHaveProperty('val_loss');
    expect(empty.epochs[0]).toMatchObject({ epoch: 1, test_acc: 0.88 });
    const old = await readRunMetrics(await runFolder(`${HEADER}\n1,10,0.5,0.9,0.6,0.88,0.1,1.5\n`));
    expect(old.epochs[0]).not.toHaveProperty('val_acc');
  });

  it('names the file, line and column of a validation cell that is not a number', async () => {
    const dir = await runFolder(`${HEADER},val_loss,val_acc\n1,10,0.5,0.9,0.6,0.88,0.1,1.5,0.5,x\n`);
    await expect(readRunMetrics(dir)).rejects.toThrow(`${join(dir, 'epochs.csv')}: line 2: val_acc is not a number`);
  });
});
