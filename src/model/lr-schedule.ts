import { SettingError } from '../errors.js';

/**
 * How the learning rate changes over a run: constant; multiplied by GAMMA
 * every EVERY epochs (step); by GAMMA every epoch (exponential); or a cosine
 * from the base rate down to 0 at the last step.
 */
export type LrSchedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly every: number; readonly gamma: number }
  | { readonly kind: 'exponential'; readonly gamma: number }
  | { readonly kind: 'cosine' };

export interface ScheduleContext {
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** Linear warmup over the first `warmup` steps: the rate of step t (from 0) is scaled by (t + 1) / warmup. */
  readonly warmup: number;
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
  }
  return step < context.warmup ? (rate * (step + 1)) / context.warmup : rate;
}

/** "constant", "cosine", "step:EVERY:GAMMA" (EVERY in epochs) or "exponential:GAMMA". */
export function parseLrSchedule(text: string): LrSchedule {
  const fail = (): never => {
    throw new SettingError('lrSchedule', `expected constant, cosine, step:EVERY:GAMMA or exponential:GAMMA, got "${text}"`);
  };
  const [kind, ...args] = text.split(':');
  const numbers = args.map((a) => (a.trim() === '' ? NaN : Number(a)));
  const gamma = numbers.at(-1) ?? NaN;
  switch (kind) {
    case 'constant':
    case 'cosine':
      return args.length === 0 ? { kind } : fail();
    case 'exponential':
      return args.length === 1 && gamma > 0 && gamma <= 1 ? { kind, gamma } : fail();
    case 'step': {
      const every = numbers[0] ?? NaN;
      return args.length === 2 && Number.isSafeInteger(every) && every > 0 && gamma > 0 && gamma <= 1 ? { kind, every, gamma } : fail();
    }
    default:
      return fail();
  }
}

export function formatLrSchedule(schedule: LrSchedule): string {
  switch (schedule.kind) {
    case 'step':
      return `step:${schedule.every}:${schedule.gamma}`;
    case 'exponential':
      return `exponential:${schedule.gamma}`;
    default:
      return schedule.kind;
  }
}
