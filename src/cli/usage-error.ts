import { InputError, SettingError } from '../errors.js';

/** A bad command line: exit status 2, like every InputError. */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
}

export function flagName(setting: string): string {
  return `--${setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The one line shown for an input error, naming the flag for a SettingError. */
export function describeInputError(error: InputError): string {
  return error instanceof SettingError ? `${flagName(error.setting)}: ${error.problem}` : error.message;
}
