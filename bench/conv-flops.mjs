// The arithmetic of one epoch of a network on MNIST, counted as bench/conv_numpy.py counts it: two
// FLOP per multiply-add of every product (forward; weight gradient; input gradient, except the first
// layer's), the training set once and both sets scored once.
import { placeLayers } from '../dist/index.js';

const PRODUCT_LAYERS = new Set(['conv2d', 'dense']);

/** GFLOP of an epoch of `layers` on images of `input` ([1, 28, 28]): `train` images trained, `scored` images scored. */
export function epochGflop(layers, { input = [1, 28, 28], train = 60000, scored = 70000 } = {}) {
  let forward = 0;
  let backward = 0;
  let first = true;
  for (const layer of placeLayers({ input, layers })) {
    if (!PRODUCT_LAYERS.has(layer.spec.type)) continue;
    const weight = layer.tensors.find((tensor) => tensor.name.endsWith('.weight'));
    const positions = layer.output.length === 3 ? layer.output[1] * layer.output[2] : 1;
    const flop = 2 * weight.shape.reduce((a, b) => a * b, 1) * positions;
    forward += flop;
    backward += first ? flop : 2 * flop;
    first = false;
  }
  return ((forward + backward) * train + forward * scored) / 1e9;
}
