export interface DivergenceFacts {
  /** The epoch of the failed update. */
  readonly epoch: number;
  /** The number the failed update would have had (updates made before it + 1). */
  readonly step: number;
  /** What went wrong first: 'loss' (not finite, or above maxLoss) or the name of a tensor that turned non-finite. */
  readonly quantity: string;
  /** The batch's loss at that step. */
  readonly loss: number;
  readonly maxLoss?: number | undefined;
  readonly learningRate: number;
  /** Where the state before the failed update was saved, once it has been. */
  readonly checkpoint?: string | undefined;
}

/**
 * Training diverged: a non-finite (or too large) loss, or a non-finite
 * parameter. The network and optimizer have been put back to their state
 * before the failed update.
 */
export class TrainingDiverged extends Error {
  override readonly name = 'TrainingDiverged';

  constructor(readonly facts: DivergenceFacts) {
    super(`${describe(facts)} at step ${facts.step} (epoch ${facts.epoch}, learning rate ${facts.learningRate})`);
  }

  withCheckpoint(path: string): TrainingDiverged {
    return new TrainingDiverged({ ...this.facts, checkpoint: path });
  }
}

function describe(f: DivergenceFacts): string {
  if (f.quantity !== 'loss') return `${f.quantity} became non-finite`;
  if (!Number.isFinite(f.loss)) return `the loss became ${f.loss}`;
  return `the loss reached ${f.loss.toPrecision(3)}, above the limit ${f.maxLoss ?? Infinity}`;
}
