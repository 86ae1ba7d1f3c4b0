import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { EPOCH_TABLE, formatMetricRow, InputError, metricTable, parseMetricRows, STEP_TABLE, type EpochFigures } from '../../src/index.js';

const figures: EpochFigures = { epoch: 3, iteration: 1800, trainLoss: 0.1 + 0.2, trainAccuracy: 0.9375, testLoss: 1e-7, testAccuracy: 0.94, learningRate: 0.1, seconds: 12.5 };

describe('the metric-row schema', () => {
  it('keeps the epochs.csv and steps.csv headers users rely on', () => {
    // columns are only ever added at the end, so scripts reading the old ones by position keep working
    expect(EPOCH_TABLE.columns.join(',')).toBe('epoch,iteration,train_loss,train_acc,test_loss,test_acc,lr,seconds,val_loss,val_acc');
    expect(STEP_TABLE.columns.join(',')).toBe('epoch,iteration,loss');
  });

  it('makes rows in header order, written as csv-stringify writes numbers and read back exactly', () => {
    const row = EPOCH_TABLE.row(figures);
    expect(Object.keys(row)).toEqual([...EPOCH_TABLE.columns]);
    const cells = formatMetricRow(EPOCH_TABLE, row);
    const text = stringify([cells], { header: true, columns: [...EPOCH_TABLE.columns] });
    expect(text).toBe(stringify([row], { header: true, columns: [...EPOCH_TABLE.columns] }));
    expect(text.split('\n')[1]).toBe('3,1800,0.30000000000000004,0.9375,1e-7,0.94,0.1,12.5,,');
    expect(parseMetricRows(EPOCH_TABLE, text, 'epochs.csv')).toEqual([row]);
  });

  it('writes the validation figures of a run with a validation set, and reads files written before those columns existed', () => {
    const row = EPOCH_TABLE.row({ ...figures, valLoss: 0.25, valAccuracy: 0.5 });
    const text = stringify([formatMetricRow(EPOCH_TABLE, row)], { header: true, columns: [...EPOCH_TABLE.columns] });
    expect(text.split('\n')[1]).toBe('3,1800,0.30000000000000004,0.9375,1e-7,0.94,0.1,12.5,0.25,0.5');
    expect(parseMetricRows(EPOCH_TABLE, text, 'epochs.csv')).toEqual([row]);
    const old = 'epoch,iteration,train_loss,train_acc,test_loss,test_acc,lr,seconds\n3,1800,0.3,0.9375,1e-7,0.94,0.1,12.5\n';
    const [read] = parseMetricRows(EPOCH_TABLE, old, 'epochs.csv');
    expect(read?.val_acc).toBeUndefined();
    expect(read?.test_acc).toBe(0.94);
    expect(() => parseMetricRows(EPOCH_TABLE, old.replace('12.5', '12.5,x,1'), 'e.csv')).not.toThrow();
    const bad = 'epoch,iteration,train_loss,train_acc,test_loss,test_acc,lr,seconds,val_loss,val_acc\n3,1800,0.3,0.9375,1e-7,0.94,0.1,12.5,abc,\n';
    expect(() => parseMetricRows(EPOCH_TABLE, bad, 'e.csv')).toThrow(new InputError('e.csv: line 2: val_loss is not a number'));
  });

  it('reads by header, whatever the order of the columns and with columns it does not know', () => {
    const text = 'loss,extra,iteration,epoch\n0.5,x,7,2\n';
    expect(parseMetricRows(STEP_TABLE, text, 'steps.csv')).toEqual([{ epoch: 2, iteration: 7, loss: 0.5 }]);
  });

  it('names the file, line and column of what it cannot read', () => {
    expect(() => parseMetricRows(STEP_TABLE, 'epoch,loss\n1,2\n', 'a/steps.csv')).toThrow(new InputError('a/steps.csv: no column iteration in its header'));
    expect(() => parseMetricRows(STEP_TABLE, 'epoch,iteration,loss\n1,2,3\n1,,3\n', 'a/steps.csv')).toThrow(new InputError('a/steps.csv: line 3: iteration is not a number'));
  });

  it('defines a new metric file in one call', () => {
    const table = metricTable<{ epoch: number; norm: number }>()('norms.csv', { epoch: (f) => f.epoch, weight_norm: (f) => f.norm });
    expect(table.columns).toEqual(['epoch', 'weight_norm']);
    expect(table.row({ epoch: 1, norm: 2.5 })).toEqual({ epoch: 1, weight_norm: 2.5 });
  });
});
