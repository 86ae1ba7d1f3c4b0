import { SettingError } from '../core/errors.js';

/**
 * How the learning rate changes over a run: constant; multiplied by GAMMA
 * every EVERY epochs (step); by GAMMA every epoch (exponential); a cosine
 * from the base rate down to 0 at the last step; or multiplied by FACTOR
 * once the monitored loss has not improved for PATIENCE epochs, never below
 * MIN_LR (plateau; see Plateau).
 */
export type LrSchedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly every: number; readonly gamma: number }
  | { readonly kind: 'exponential'; readonly gamma: number }
  | { readonly kind: 'cosine' }
  | PlateauSchedule;

export interface PlateauSchedule {
  readonly kind: 'plateau';
  readonly factor: number;
  readonly patience: number;
  readonly minLr: number;
}

/** Where a plateau schedule stands: the rate in force, the lowest loss seen, and the epochs since it was seen (or since the last cut). */
export interface PlateauState {
  readonly rate: number;
  readonly best?: number | undefined;
  readonly wait: number;
}

/**
 * Reduce-on-plateau: at each epoch's end it takes in the monitored loss
 * (lower is better); after `patience` epochs in a row without a new lowest
 * value, the rate is multiplied by `factor` (not below `minLr`) and the
 * count starts again. Its state is three numbers, kept in checkpoints, so a
 * resumed run continues bit for bit.
 */
export class Plateau {
  private current: PlateauState;

  constructor(
    readonly schedule: PlateauSchedule,
    state: PlateauState,
  ) {
    this.current = state;
  }

  get rate(): number {
    return this.current.rate;
  }

  /** Takes in an epoch's monitored loss; true when it lowered the rate. */
  observe(loss: number): boolean {
    const { rate, best, wait } = this.current;
    if (best === undefined || loss < best) {
      this.current = { rate, best: loss, wait: 0 };
      return false;
    }
    if (wait + 1 < this.schedule.patience) {
      this.current = { rate, best, wait: wait + 1 };
      return false;
    }
    this.current = { rate: Math.max(rate * this.schedule.factor, this.schedule.minLr), best, wait: 0 };
    return this.current.rate !== rate;
  }

  state(): PlateauState {
    return this.current;
  }
}

export interface ScheduleContext {
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** Linear warmup over the first `warmup` steps: the rate of step t (from 0) is scaled by (t + 1) / warmup. */
  readonly warmup: number;
  /** For a plateau schedule: its state (the base rate until the first cut when absent). */
  readonly plateau?: Plateau | undefined;
}

/** The rate for update number `step` (0 for the first update of the run). */
export function learningRateAt(base: number, schedule: LrSchedule, step: number, context: ScheduleContext): number {
  const epoch = Math.floor(step / context.stepsPerEpoch);
  let rate: number;
  switch (schedule.kind) {
    case 'constant':
      rate = base;
      break;
    case 'step':
      rate = base * schedule.gamma ** Math.floor(epoch / schedule.every);
      break;
    case 'exponential':
      rate = base * schedule.gamma ** epoch;
      break;
    case 'cosine':
      rate = base * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, context.totalSteps)) / context.totalSteps));
      break;
    case 'plateau':
      rate = context.plateau?.rate ?? base;
      break;
  }
  return step < context.warmup ? (rate * (step + 1)) / context.warmup : rate;
}

/** "constant", "cosine", "step:EVERY:GAMMA" (EVERY in epochs), "exponential:GAMMA" or "plateau:FACTOR:PATIENCE[:MIN_LR]". */
export function parseLrSchedule(text: string): LrSchedule {
  const fail = (): never => {
    throw new SettingError('lrSchedule', `expected constant, cosine, step:EVERY:GAMMA, exponential:GAMMA or plateau:FACTOR:PATIENCE[:MIN_LR], got "${text}"`);
  };
  const [kind, ...args] = text.split(':');
  const numbers = args.map((a) => (a.trim() === '' ? NaN : Number(a)));
  const gamma = numbers.at(-1) ?? NaN;
  const schedule: LrSchedule | undefined =
    (kind === 'constant' || kind === 'cosine') && args.length === 0 ? { kind }
    : kind === 'exponential' && args.length === 1 ? { kind, gamma }
    : kind === 'step' && args.length === 2 ? { kind, every: numbers[0] ?? NaN, gamma }
    : kind === 'plateau' && (args.length === 2 || args.length === 3) ? { kind, factor: numbers[0] ?? NaN, patience: numbers[1] ?? NaN, minLr: numbers[2] ?? 0 }
    : undefined;
  if (schedule === undefined) return fail();
  try {
    checkLrSchedule(schedule);
  } catch {
    return fail();
  }
  return schedule;
}

function checkGamma(gamma: number): void {
  if (!(gamma > 0 && gamma <= 1)) throw new SettingError('lrSchedule', `GAMMA must be in (0, 1], got ${gamma}`);
}

/** Throws a SettingError unless GAMMA is in (0, 1] and EVERY a positive whole number of epochs. */
export function checkLrSchedule(schedule: LrSchedule): void {
  const problem = (text: string): never => {
    throw new SettingError('lrSchedule', text);
  };
  switch (schedule.kind) {
    case 'constant':
    case 'cosine':
      return;
    case 'step':
      if (!(Number.isSafeInteger(schedule.every) && schedule.every > 0)) problem(`EVERY must be a positive whole number of epochs, got ${schedule.every}`);
      checkGamma(schedule.gamma);
      return;
    case 'exponential':
      checkGamma(schedule.gamma);
      return;
    case 'plateau':
      if (!(schedule.factor > 0 && schedule.factor < 1)) problem(`FACTOR must be in (0, 1), got ${schedule.factor}`);
      if (!(Number.isSafeInteger(schedule.patience) && schedule.patience > 0)) problem(`PATIENCE must be a positive whole number of epochs, got ${schedule.patience}`);
      if (!(schedule.minLr >= 0 && Number.isFinite(schedule.minLr))) problem(`MIN_LR must be 0 or more, got ${schedule.minLr}`);
      return;
    default:
      problem(`unknown schedule ${JSON.stringify((schedule as { kind?: unknown }).kind)}`);
  }
}

export function formatLrSchedule(schedule: LrSchedule): string {
  switch (schedule.kind) {
    case 'step':
      return `step:${schedule.every}:${schedule.gamma}`;
    case 'exponential':
      return `exponential:${schedule.gamma}`;
    case 'plateau':
      return `plateau:${schedule.factor}:${schedule.patience}${schedule.minLr === 0 ? '' : `:${schedule.minLr}`}`;
    default:
      return schedule.kind;
  }
}
