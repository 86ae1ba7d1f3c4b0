/**
 * A problem with what the user gave us: a file, a URL or a setting.
 * The command line turns it into a one-line message and exit status 2;
 * every other error is unexpected and exits 1.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}

/** A setting out of range. `setting` is the library's name for it (e.g. `batchSize`). */
export class SettingError extends InputError {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}
