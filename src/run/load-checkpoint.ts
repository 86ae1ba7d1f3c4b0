import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { decodeSafetensors } from '../formats/safetensors.js';
import { buildNetwork } from '../model/build-network.js';
import { BACKENDS, kernelsFor, type Backend } from '../model/kernels/backends.js';
import { SIMD_VARIANTS, type SimdChoice } from '../model/kernels/wasm-module.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { checkModelSpec, type ModelSpec } from '../model/model-spec.js';
import type { Network } from '../model/network.js';
import { loadParameterTensors } from '../model/tensors.js';
import type { Normalization } from '../operators/normalize.js';

export interface LoadedCheckpoint {
  readonly network: Network;
  readonly spec: ModelSpec;
  readonly normalization: Normalization;
  readonly epoch: number | undefined;
  readonly iteration: number | undefined;
  /** The kernels the network computes with: those given, else the ones the checkpoint was trained with. */
  readonly backend: string;
  /** How those kernels round ('plain', 'relaxed'). */
  readonly simd: string;
}

/**
 * Rebuilds a trained network from a checkpoint file alone: its model,
 * normalisation and tensors. Unless `kernels` are given, it computes with
 * the backend recorded in the checkpoint (checkpoints without one were
 * trained with the TypeScript kernels), so it reproduces the run's numbers.
 */
export interface LoadCheckpointOptions {
  /** Kernels to build the network with; default: those of `backend`. */
  readonly kernels?: Kernels;
  /** Default: the backend recorded in the checkpoint. */
  readonly backend?: Backend | undefined;
  /** Default: the variant recorded in the checkpoint (plain for checkpoints that record none). */
  readonly simd?: SimdChoice | undefined;
  /** Threads for the wasm kernels (default 1). */
  readonly threads?: number | undefined;
}

export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'no such file' : `cannot read (${error.code ?? error.message})`}`);
  });
  const file = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  const meta = file.metadata;
  const spec = parseJson<ModelSpec>(meta['model'], 'model', path);
  try {
    checkModelSpec(spec);
  } catch (error) {
    throw new InputError(`${path}: metadata "model" does not describe a network rxnn can build (${(error as Error).message})`);
  }
  const normalization = parseJson<Normalization>(meta['normalize'], 'normalize', path);
  if (!Number.isFinite(normalization.scale) || !Number.isFinite(normalization.offset)) {
    throw new InputError(`${path}: metadata "normalize" needs finite scale and offset`);
  }
  const recorded = meta['backend'];
  const backend = options.backend ?? ((BACKENDS as readonly string[]).includes(recorded ?? '') ? (recorded as Backend) : 'ts');
  const recordedSimd = meta['simd'] ?? 'plain';
  if (!(SIMD_VARIANTS as readonly string[]).includes(recordedSimd)) throw new InputError(`${path}: metadata "simd" must be plain or relaxed, got ${JSON.stringify(recordedSimd)}`);
  const simd = options.simd ?? (recordedSimd as SimdChoice);
  const kernels = options.kernels ?? kernelsFor(backend, { threads: options.threads, simd });
  const network = buildNetwork(spec, { init: { kind: 'normal', std: 0 }, seed: 0, kernels });
  loadParameterTensors(network, file.tensors, path);
  const number = (key: string): number | undefined => (meta[key] === undefined ? undefined : Number(meta[key]));
  return { network, spec, normalization, epoch: number('epoch'), iteration: number('iteration'), backend: kernels.backend, simd: kernels.simd };
}

function parseJson<T>(text: string | undefined, key: string, path: string): T {
  if (text === undefined) throw new InputError(`${path}: not an rxnn checkpoint: metadata "${key}" is missing`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InputError(`${path}: metadata "${key}" is not valid JSON`);
  }
}
