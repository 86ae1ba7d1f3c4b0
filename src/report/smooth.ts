/** Trailing moving average over `window` values (fewer at the start), as the lesson's smoothed loss curve. */
export function movingAverage(values: readonly number[], window: number): number[] {
  if (!(Number.isSafeInteger(window) && window >= 1)) throw new RangeError(`window must be a positive integer, got ${window}`);
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}
