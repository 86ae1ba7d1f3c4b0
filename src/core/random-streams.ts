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
  /** Training images' random translations, rotations and zooms (augment), per epoch and position. */
  augment: 6,
  /** Which training samples are held out for validation. */
  validationSplit: 7,
  /** The random batch `rxnn gradcheck` checks on. */
  gradientCheckBatch: 98,
  /** Which entries a gradient check probes when not all. */
  gradientCheckPicks: 99,
} as const;
