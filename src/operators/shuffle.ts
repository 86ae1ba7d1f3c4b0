import type { OperatorFunction } from 'rxjs';
import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import { checkSeed } from '../core/checks.js';
import type { EpochEnd } from '../core/epoch-end.js';
import { reorderEachEpoch } from './reorder-each-epoch.js';

/**
 * Emits each epoch's items in a seeded random order (Fisher-Yates). Every
 * epoch gets a fresh permutation derived from the seed and the epoch number,
 * so epoch k's order does not depend on how the stream was subscribed.
 */
export function shuffle<T>(options: { seed: number }): OperatorFunction<T | EpochEnd, T | EpochEnd> {
  const { seed } = options;
  checkSeed('seed', seed);
  return reorderEachEpoch((items, epoch) => {
    const random = Random.derive(seed, RandomStream.shuffle, epoch);
    const order = items.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    return order;
  });
}
