import { SettingError } from './errors.js';

/** Range checks for settings; each throws a SettingError naming the setting. */

export function checkPositiveInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new SettingError(name, `must be a positive integer, got ${value}`);
}

export function checkPositiveNumber(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new SettingError(name, `must be a positive number, got ${value}`);
}

export function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new SettingError(name, `must be a finite number, got ${value}`);
}

export function checkSeed(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) {
    throw new SettingError(name, `must be an integer from 0 to 4294967295, got ${value}`);
  }
}
