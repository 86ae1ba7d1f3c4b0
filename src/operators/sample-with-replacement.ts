import type { OperatorFunction } from 'rxjs';
import { Random } from '../core/random.js';
import { RandomStream } from '../core/random-streams.js';
import { checkPositiveInteger, checkSeed } from '../core/checks.js';
import type { EpochEnd } from '../core/epoch-end.js';
import { reorderEachEpoch } from './reorder-each-epoch.js';

/**
 * Replaces each epoch's items with draws made uniformly with replacement
 * from them (as the lesson's `np.random.choice(n, batch)` does): `draws` per
 * epoch, by default as many as the epoch had items.
 */
export function sampleWithReplacement<T>(options: {
  seed: number;
  draws?: number;
}): OperatorFunction<T | EpochEnd, T | EpochEnd> {
  const { seed, draws } = options;
  checkSeed('seed', seed);
  if (draws !== undefined) checkPositiveInteger('draws', draws);
  return reorderEachEpoch((items, epoch) => {
    const random = Random.derive(seed, RandomStream.sampler, epoch);
    const drawn = new Array<T>(draws ?? items.length);
    for (let i = 0; i < drawn.length; i++) drawn[i] = items[random.int(items.length)]!;
    return drawn;
  });
}
