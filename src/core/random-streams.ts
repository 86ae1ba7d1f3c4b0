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
  /** Which training samples are held out for validation. */
  validationSplit: 6,
  /** The random batch `rxnn gradcheck` checks on. */
  gradientCheckBatch: 98,
  /** Which entries a gradient check probes when not all. */
  gradientCheckPicks: 99,
} as const;
