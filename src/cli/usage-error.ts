import { InputError, SettingError } from '../core/errors.js';

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

/** A command that ran but found a failure it reports with its own exit status (e.g. gradcheck above its threshold). */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
