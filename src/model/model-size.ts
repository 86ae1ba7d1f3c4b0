import { SettingError } from '../core/errors.js';
import { shapeSize } from './layers/layer.js';
import { placeLayers, type ModelSpec, type TensorShape } from './model-spec.js';

export type { TensorShape } from './model-spec.js';

/**
 * Parameters (values) a network may have: 2^27, 512 MiB of float32. With
 * gradients, the divergence guard's copy and Adam's two moments that is
 * 2.5 GiB, within the 4 GiB the WebAssembly kernels can address.
 */
export const MAX_PARAMETERS = 2 ** 27;

/** Values one batch may hold in any layer (rows × widest layer or work buffer, such as a convolution's im2col matrix): also 2^27. */
export const MAX_BATCH_VALUES = 2 ** 27;

/**
 * The tensors a network built from `spec` holds, parameters first, then
 * running statistics (the order of Network.tensors): e.g. `dense.0.weight`
 * [in, out] and `.bias` [out], with batch norm `dense.0.bn.gamma`, `.beta`,
 * `.running_mean`, `.running_var` [out]. Known from the spec alone, so a
 * checkpoint can be checked against it before anything is allocated.
 */
export function modelTensorShapes(spec: ModelSpec): TensorShape[] {
  const all = placeLayers(spec).flatMap((layer) => layer.tensors);
  return [...all.filter((t) => t.parameter), ...all.filter((t) => !t.parameter)];
}

/** How many random generators a network built from `spec` carries (one per dropout layer). */
export function randomGeneratorCount(spec: ModelSpec): number {
  return placeLayers(spec).filter((layer) => layer.kind.drawsInTraining === true).length;
}

/**
 * Refuses, before anything is allocated, a network larger than
 * MAX_PARAMETERS or batches of more than MAX_BATCH_VALUES values (a
 * SettingError naming `classes`, `hidden` or `batchSize`).
 */
export function checkModelSize(spec: ModelSpec, rows: number): void {
  const layers = placeLayers(spec);
  const values = (tensors: readonly TensorShape[]): number => tensors.reduce((sum, t) => sum + shapeSize(t.shape), 0);
  const parameters = values(layers.flatMap((layer) => layer.tensors));
  if (parameters > MAX_PARAMETERS) {
    // Named after what makes it large: the output layer (classes) or the hidden ones.
    const weighted = layers.filter((layer) => layer.tensors.some((t) => t.name.endsWith('.weight')));
    const widths = [spec.input, ...weighted.map((layer) => layer.output)].map((shape) => shape.join('x'));
    const output = values(weighted.at(-1)?.tensors ?? []);
    throw new SettingError(output * 2 > parameters ? 'classes' : 'hidden', `a ${widths.join('-')} network has ${parameters} values, more than the ${MAX_PARAMETERS} rxnn can train`);
  }
  const work = layers.map((layer) => layer.kind.workValues?.(layer.spec, layer.input) ?? 0);
  const widest = Math.max(...[spec.input, ...layers.map((layer) => layer.output)].map(shapeSize), ...work);
  if (rows * widest > MAX_BATCH_VALUES) {
    throw new SettingError('batchSize', `${rows} rows of up to ${widest} values are ${rows * widest} values per batch, more than ${MAX_BATCH_VALUES}`);
  }
}
