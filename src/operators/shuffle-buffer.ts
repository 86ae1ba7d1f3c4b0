import type { OperatorFunction } from 'rxjs';
import { checkPositiveInteger, checkSeed } from '../core/checks.js';
import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import { bufferEpochs } from './buffer-epochs.js';
import type { EpochEnd } from '../core/epoch-end.js';

export interface ShuffleBufferOptions {
  /** Items held at most; memory is this many items, whatever the epoch's length. */
  readonly size: number;
  readonly seed: number;
  /** The number of the first epoch this subscription sees (its random stream); default 1. */
  readonly firstEpoch?: number;
}

/**
 * Shuffles through a bounded buffer, as tf.data's shuffle does: the first
 * `size` items fill the buffer; each later item takes the place of a
 * randomly chosen held item, which is emitted. At the epoch's marker the
 * rest are emitted in random order. A buffer at least as long as the epoch
 * gives a uniform permutation; a shorter one only mixes nearby items.
 * Epoch k draws from its own stream of the seed.
 */
export function shuffleBuffer<T>(options: ShuffleBufferOptions): OperatorFunction<T | EpochEnd, T | EpochEnd> {
  const { size, seed, firstEpoch = 1 } = options;
  checkPositiveInteger('size', size);
  checkSeed('seed', seed);
  checkPositiveInteger('firstEpoch', firstEpoch);
  return bufferEpochs<T, T>(() => {
    const held: T[] = [];
    let epoch = firstEpoch;
    let random: Random | undefined;
    const draw = (n: number): number => (random ??= Random.derive(seed, RandomStream.shuffleBuffer, epoch)).int(n);
    return {
      take(value, emit) {
        if (held.length < size) {
          held.push(value);
          return;
        }
        const j = draw(size);
        const out = held[j]!;
        held[j] = value;
        emit(out);
      },
      release(released, emit) {
        while (held.length > 0) {
          const j = draw(held.length);
          const out = held[j]!;
          held[j] = held[held.length - 1]!;
          held.pop();
          if (!emit(out)) break;
        }
        held.length = 0;
        epoch = released + 1;
        random = undefined;
      },
      clear() {
        held.length = 0;
      },
    };
  });
}
