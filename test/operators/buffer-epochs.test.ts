import { beforeEach, describe, expect, it } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { bufferEpochs, EpochEnd, type EpochBuffer } from '../../src/index.js';
import { createTestScheduler } from '../helpers/marbles.js';

/** Holds values and releases them as "epoch:values" strings; records every clear. */
function joiner(log: string[]): () => EpochBuffer<string, string> {
  return () => {
    let held: string[] = [];
    return {
      take: (value) => {
        held.push(value);
      },
      release: (epoch, emit) => {
        emit(`${epoch}:${held.join('')}`);
        held = [];
      },
      clear: () => {
        log.push('clear');
        held = [];
      },
    };
  };
}

describe('bufferEpochs', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it('releases at each marker (with its epoch) before passing it on, and at completion as the next epoch', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const E = new EpochEnd(3);
      const source = cold('ab-E--c--|', { a: 'a', b: 'b', c: 'c', E });
      const expected = '   ---(xE)--(y|)';
      expectObservable(source.pipe(bufferEpochs(joiner([])))).toBe(expected, { x: '3:ab', E, y: '4:c' });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('gives each subscription its own buffer', () => {
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b|');
      const buffered = source.pipe(bufferEpochs(joiner(log)));
      expectObservable(buffered).toBe('---(x|)', { x: '1:ab' });
      expectObservable(buffered).toBe('---(x|)', { x: '1:ab' });
    });
  });

  it('clears the buffer on error and on unsubscribe, and passes the error on', () => {
    const afterError: string[] = [];
    const afterUnsubscribe: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('a-#').pipe(bufferEpochs(joiner(afterError)))).toBe('--#');
      const endless = cold('a-b-c-');
      expectObservable(endless.pipe(bufferEpochs(joiner(afterUnsubscribe))), '^--!').toBe('---');
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
    expect(afterError).toContain('clear');
    expect(afterUnsubscribe).toEqual(['clear']);
  });
});
