import { SettingError } from '../core/errors.js';

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
  const schedule: LrSchedule | undefined =
    (kind === 'constant' || kind === 'cosine') && args.length === 0 ? { kind }
    : kind === 'exponential' && args.length === 1 ? { kind, gamma }
    : kind === 'step' && args.length === 2 ? { kind, every: numbers[0] ?? NaN, gamma }
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
    default:
      return schedule.kind;
  }
}
