import { SettingError } from '../../core/errors.js';

/** Decay rates and momenta live in [0, 1). */
export function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new SettingError(name, `must be in [0, 1), got ${value}`);
}
