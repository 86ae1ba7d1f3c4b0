import { describe, expect, it } from 'vitest';
import { chartsFor, movingAverage, runNames } from '../../src/index.js';

describe('movingAverage', () => {
  it('averages the trailing window, over fewer values at the start', () => {
    expect(movingAverage([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
    expect(movingAverage([1, 5], 1)).toEqual([1, 5]);
    expect(movingAverage([], 5)).toEqual([]);
    expect(() => movingAverage([1], 0)).toThrow(RangeError);
  });
});

describe('plot choices', () => {
  it('maps --metric to charts and names runs by folder, by path when two folders share a name', () => {
    expect(chartsFor('acc')).toEqual(['accuracy']);
    expect(chartsFor('loss')).toEqual(['loss', 'epoch-loss']);
    expect(chartsFor('all')).toEqual(['loss', 'accuracy', 'epoch-loss']);
    expect(runNames(['runs/a', 'x/b/', 'y/a'])).toEqual(['runs/a', 'b', 'y/a']);
  });
});
