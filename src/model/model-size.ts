import { SettingError } from '../core/errors.js';
import type { ModelSpec } from './model-spec.js';

/** A tensor a network holds: its name in checkpoints and its shape. */
export interface TensorShape {
  readonly name: string;
  readonly shape: readonly number[];
  /** Trained (an optimizer keeps slots for it), as opposed to a running statistic. */
  readonly parameter: boolean;
}

/**
 * Parameters (values) a network may have: 2^27, 512 MiB of float32. With
 * gradients, the divergence guard's copy and Adam's two moments that is
 * 2.5 GiB, within the 4 GiB the WebAssembly kernels can address.
 */
export const MAX_PARAMETERS = 2 ** 27;

/** Values one batch may hold in any layer (rows × widest layer): also 2^27. */
export const MAX_BATCH_VALUES = 2 ** 27;

/**
 * The tensors a network built from `spec` holds (build-network names them
 * so): `dense.{i}.weight` [in, out] and `.bias` [out], with batch norm
 * `dense.{i}.bn.gamma`, `.beta`, `.running_mean`, `.running_var` [out].
 * Known from the spec alone, so a checkpoint can be checked against it
 * before anything is allocated.
 */
export function modelTensorShapes(spec: ModelSpec): TensorShape[] {
  const shapes: TensorShape[] = [];
  let width = spec.input;
  spec.layers.forEach((layer, i) => {
    shapes.push({ name: `dense.${i}.weight`, shape: [width, layer.units], parameter: true }, { name: `dense.${i}.bias`, shape: [layer.units], parameter: true });
    if (layer.batchNorm !== undefined) {
      for (const part of ['gamma', 'beta']) shapes.push({ name: `dense.${i}.bn.${part}`, shape: [layer.units], parameter: true });
      for (const part of ['running_mean', 'running_var']) shapes.push({ name: `dense.${i}.bn.${part}`, shape: [layer.units], parameter: false });
    }
    width = layer.units;
  });
  return shapes;
}

/** How many random generators a network built from `spec` carries (one per dropout layer). */
export function randomGeneratorCount(spec: ModelSpec): number {
  return spec.layers.filter((layer) => layer.dropout !== undefined && layer.dropout > 0).length;
}

/**
 * Refuses, before anything is allocated, a network larger than
 * MAX_PARAMETERS or batches of more than MAX_BATCH_VALUES values (a
 * SettingError naming `classes`, `hidden` or `batchSize`).
 */
export function checkModelSize(spec: ModelSpec, rows: number): void {
  let parameters = 0;
  for (const t of modelTensorShapes(spec)) parameters += t.shape.reduce((a, b) => a * b, 1);
  const widths = [spec.input, ...spec.layers.map((layer) => layer.units)];
  if (parameters > MAX_PARAMETERS) {
    // Named after what makes it large: the output layer (classes) or the hidden ones.
    const output = widths.at(-1)! * (widths.at(-2)! + 1);
    throw new SettingError(output * 2 > parameters ? 'classes' : 'hidden', `a ${widths.join('-')} network has ${parameters} values, more than the ${MAX_PARAMETERS} rxnn can train`);
  }
  const widest = Math.max(...widths);
  if (rows * widest > MAX_BATCH_VALUES) {
    throw new SettingError('batchSize', `${rows} rows of up to ${widest} values are ${rows * widest} values per batch, more than ${MAX_BATCH_VALUES}`);
  }
}
