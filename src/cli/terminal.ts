/** What the progress lines need to know of stderr. */
export interface StatusStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** tty.WriteStream's: false under NO_COLOR, TERM=dumb or a terminal without colours. */
  hasColors?(): boolean;
}

/**
 * The widest line that will not wrap: one less than the terminal's columns,
 * since a character in the last column makes some terminals wrap at once.
 * Undefined when the stream is not a terminal (lines are then not cut).
 */
export function lineWidth(stream: StatusStream): number | undefined {
  if (stream.isTTY !== true) return undefined;
  const columns = stream.columns;
  return columns !== undefined && columns > 0 ? Math.max(columns - 1, 1) : 79;
}

/** Colour only on a terminal that supports it (and NO_COLOR unset). */
export function usesColour(stream: StatusStream): boolean {
  return stream.isTTY === true && stream.hasColors?.() === true;
}

export const green = (text: string): string => `\x1b[32m${text}\x1b[39m`;
export const dim = (text: string): string => `\x1b[2m${text}\x1b[22m`;
