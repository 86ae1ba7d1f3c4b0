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

/**
 * Work given up because it was asked to stop (an AbortSignal, e.g. on
 * Ctrl-C): not a fault of the input. `reason` is the signal's reason.
 */
export class Stopped extends Error {
  override readonly name = 'Stopped';
  constructor(
    readonly reason: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** Throws Stopped if `signal` has been aborted. */
export function throwIfStopped(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new Stopped(signal.reason, `${what}: stopped by ${String(signal.reason)}`);
}
