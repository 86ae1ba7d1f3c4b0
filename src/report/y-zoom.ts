/** The share of accuracy values the default zoom may leave below the axis. */
export const ZOOM_QUANTILE = 0.1;

/**
 * The default y axis of an accuracy chart: from a round value at or below
 * the data's low quantile (the 10th percentile) up to 1, so that late epochs
 * (0.98 against 0.99) are told apart instead of being squeezed by the first
 * one. `hidden`: some points lie below the axis and are cut off.
 * Undefined for no values.
 */
export function accuracyZoom(values: readonly number[]): { readonly from: number; readonly hidden: boolean } | undefined {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const low = quantile(finite, ZOOM_QUANTILE);
  const top = Math.max(1, finite[finite.length - 1]!);
  const step = top - low > 0.2 ? 0.05 : 0.01;
  // The margin keeps the lowest points shown off the axis line; rounding is to whole steps (in hundredths, to avoid 0.8700000001).
  const from = Math.max(0, Math.min(Math.floor(Math.round((low - 0.05 * (top - low)) * 1e6) / 1e6 / step) * step, top - step));
  const rounded = Math.round(from * 100) / 100;
  return { from: rounded, hidden: finite[0]! < rounded };
}

/** The q-quantile of sorted values, interpolated linearly between ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}
