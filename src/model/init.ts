import { SettingError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import type { FloatArray } from './kernels/kernels.js';
import type { HiddenActivation } from './activation-names.js';

/** Fills a parameter's values, drawing from `random`. */
export type Initializer = (values: FloatArray, random: Random) => void;

/** How dense weights start: N(0, std²), Xavier/Glorot N(0, 2 / (in + out)), or He N(0, 2 / in). */
export type InitSpec = { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'xavier' } | { readonly kind: 'he' };

/** Draws from N(0, std²), the lesson's weight init (std 0.01). */
export function normalInit(std: number): Initializer {
  return (values, random) => {
    for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
  };
}

export const zerosInit: Initializer = (values) => {
  values.fill(0);
};

/** The initializer of a dense layer's weights, [fanIn × fanOut]. */
export function weightInit(init: InitSpec, fanIn: number, fanOut: number): Initializer {
  switch (init.kind) {
    case 'normal':
      return normalInit(init.std);
    case 'xavier':
      return normalInit(Math.sqrt(2 / (fanIn + fanOut)));
    case 'he':
      return normalInit(Math.sqrt(2 / fanIn));
  }
}

/**
 * The usual init for an activation: He for the ReLU family, Xavier for tanh,
 * and for sigmoid the lesson's N(0, 0.01²), so its defaults stay the lesson's.
 */
export function defaultInitFor(activation: HiddenActivation): InitSpec {
  switch (activation) {
    case 'relu':
    case 'leaky-relu':
      return { kind: 'he' };
    case 'tanh':
      return { kind: 'xavier' };
    case 'sigmoid':
      return { kind: 'normal', std: 0.01 };
  }
}

/** "normal:0.01", "xavier" or "he". */
export function parseInitSpec(text: string): InitSpec {
  if (text === 'xavier' || text === 'he') return { kind: text };
  const match = /^normal:(.+)$/.exec(text);
  const std = match === null ? NaN : Number(match[1]);
  if (match === null || !(std > 0 && Number.isFinite(std))) {
    throw new SettingError('init', `expected normal:STD (STD > 0), xavier or he, got "${text}"`);
  }
  return { kind: 'normal', std };
}

export function formatInitSpec(init: InitSpec): string {
  return init.kind === 'normal' ? `normal:${init.std}` : init.kind;
}
