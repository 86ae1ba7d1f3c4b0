import type { FloatArray } from './kernels/kernels.js';
import type { Random } from '../random/random.js';

/** Fills a parameter's values, drawing from `random`. */
export type Initializer = (values: FloatArray, random: Random) => void;

/** Draws from N(0, std²), the lesson's weight init (std 0.01). */
export function normalInit(std: number): Initializer {
  return (values, random) => {
    for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
  };
}

export const zerosInit: Initializer = (values) => {
  values.fill(0);
};
