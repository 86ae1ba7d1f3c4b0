import type { ActivationFunction } from './kernels.js';

/**
 * An element-wise activation as a function pair: its value, and the
 * gradient of its input from its output y and the output's gradient dy
 * (each activation here has a derivative that its output alone gives).
 * `slope` is leaky ReLU's, passed rather than closed over so that no call
 * allocates.
 */
export interface ActivationPair {
  value(x: number, slope: number): number;
  inputGradient(y: number, dy: number, slope: number): number;
}

/** The TypeScript reference of each activation; the wasm kernels reproduce these bit for bit (plain SIMD). */
export const ACTIVATION_PAIRS: Readonly<Record<Exclude<ActivationFunction['kind'], 'identity'>, ActivationPair>> = {
  sigmoid: { value: (x) => 1 / (1 + Math.exp(-x)), inputGradient: (y, dy) => dy * y * (1 - y) },
  tanh: { value: (x) => Math.tanh(x), inputGradient: (y, dy) => dy * (1 - y * y) },
  // y > 0 exactly where the input was > 0 (the slope is in [0, 1))
  'leaky-relu': { value: (x, slope) => (x > 0 ? x : slope * x), inputGradient: (y, dy, slope) => (y > 0 ? dy : slope * dy) },
};

export function slopeOf(f: ActivationFunction): number {
  return f.kind === 'leaky-relu' ? f.slope : 0;
}
