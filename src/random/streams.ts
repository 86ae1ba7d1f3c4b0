/**
 * Which independent random sequence a consumer draws from. Each purpose gets
 * its own stream of the run seed, so changing (say) the sampler never changes
 * the initial weights.
 */
export const RandomStream = {
  init: 1,
  shuffle: 2,
  sampler: 3,
  shuffleBuffer: 4,
  dropout: 5,
  /** rxnn gradcheck's random batch. */
  gradcheckBatch: 98,
  /** The entries a gradient check picks. */
  gradcheckEntries: 99,
} as const;
