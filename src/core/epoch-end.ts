/**
 * The marker that closes an epoch in a stream. Operators that buffer
 * (shuffle, minibatch) treat it as a boundary and pass it on; evaluation and
 * sinks act on it.
 */
export class EpochEnd {
  readonly kind = 'epoch-end' as const;
  constructor(readonly epoch: number) {}
}

export function isEpochEnd(value: unknown): value is EpochEnd {
  return value instanceof EpochEnd;
}
