import { InputError } from '../core/errors.js';
import type { NamedTensor } from '../core/dtype.js';
import type { Network } from './network.js';

/** The network's parameters and running statistics by name (`dense.0.weight`, `dense.0.bn.running_mean`, ...), as views of the live values. */
export function parameterTensors(network: Network): NamedTensor[] {
  return network.tensors.map((p) => ({ name: p.name, shape: p.shape, data: p.value }));
}

/** Copies tensors into the network's parameters; every parameter must be present with its shape. */
export function loadParameterTensors(network: Network, tensors: readonly NamedTensor[], source: string): void {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const p of network.tensors) {
    const tensor = byName.get(p.name);
    if (tensor === undefined) throw new InputError(`${source}: tensor ${p.name} is missing`);
    if (tensor.shape.join('x') !== p.shape.join('x')) {
      throw new InputError(`${source}: tensor ${p.name} has shape [${tensor.shape}], the model needs [${p.shape}]`);
    }
    p.value.set(tensor.data);
  }
}
