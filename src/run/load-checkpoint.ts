import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { decodeSafetensors, type SafetensorsFile } from '../formats/safetensors.js';
import { buildNetwork } from '../model/build-network.js';
import { BACKENDS, kernelsFor, type Backend } from '../model/kernels/backends.js';
import { SIMD_VARIANTS, type SimdChoice } from '../model/kernels/wasm-module.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { checkModelSize, modelTensorShapes } from '../model/model-size.js';
import { shapeSize } from '../model/layers/layer.js';
import { checkModelSpec, type ModelSpec } from '../model/model-spec.js';
import type { Network } from '../model/network.js';
import { loadParameterTensors } from '../model/tensors.js';
import type { Normalization } from '../operators/normalize.js';
import { checkWithSchema, parseJsonWith } from '../core/schema-check.js';
import { parseModelMetadata } from './model-metadata.js';

export interface LoadedCheckpoint {
  readonly network: Network;
  /** The model, in today's form whatever form the file stores it in. */
  readonly spec: ModelSpec;
  /** Values per sample the network takes. */
  readonly inputSize: number;
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
  readonly threads?: number;
}

/** Rows of the batches eval and predict score at a time. */
export const SCORING_ROWS = 1000;

const normalizeSchema = z.strictObject({ scale: z.number(), offset: z.number() });
const counter = z.string().regex(/^\d{1,15}$/, 'expected a whole number');

export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fileError(path, 'read the checkpoint', error);
  });
  const file = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  const meta = file.metadata;
  const spec = parseModelMetadata(metadata(meta, 'model', path), `${path}: metadata "model"`);
  try {
    checkModelSpec(spec);
    checkModelSize(spec, SCORING_ROWS);
  } catch (error) {
    throw new InputError(`${path}: metadata "model" does not describe a network rxnn can build (${(error as Error).message})`);
  }
  checkTensorShapes(file, spec, path);
  const normalization = parseJsonWith(normalizeSchema, metadata(meta, 'normalize', path), `${path}: metadata "normalize"`);
  const recorded = meta['backend'];
  const backend = options.backend ?? ((BACKENDS as readonly string[]).includes(recorded ?? '') ? (recorded as Backend) : 'ts');
  const number = (key: string): number | undefined =>
    meta[key] === undefined ? undefined : Number(checkWithSchema(counter, meta[key], `${path}: metadata "${key}"`));
  const [epoch, iteration] = [number('epoch'), number('iteration')];
  const recordedSimd = meta['simd'] ?? 'plain';
  if (!(SIMD_VARIANTS as readonly string[]).includes(recordedSimd) || recordedSimd === 'auto') {
    throw new InputError(`${path}: metadata "simd" must be plain or relaxed, got ${JSON.stringify(recordedSimd)}`);
  }
  const simd = options.simd ?? (recordedSimd as SimdChoice);
  const kernels = options.kernels ?? kernelsFor(backend, { threads: options.threads, simd });
  const network = buildNetwork(spec, { init: { kind: 'normal', std: 0 }, seed: 0, kernels });
  loadParameterTensors(network, file.tensors, path);
  return { network, spec, inputSize: shapeSize(spec.input), normalization, epoch, iteration, backend: kernels.backend, simd: kernels.simd };
}

/** Every tensor the model needs is in the file with its shape: checked before the network is allocated. */
function checkTensorShapes(file: SafetensorsFile, spec: ModelSpec, path: string): void {
  const shapes = new Map(file.tensors.map((t) => [t.name, t.shape]));
  for (const { name, shape } of modelTensorShapes(spec)) {
    const found = shapes.get(name);
    if (found === undefined) throw new InputError(`${path}: tensor ${name} is missing (metadata "model" needs it)`);
    if (found.join('x') !== shape.join('x')) throw new InputError(`${path}: tensor ${name} has shape [${found}], metadata "model" needs [${shape}]`);
  }
}

function metadata(meta: Readonly<Record<string, string>>, key: string, path: string): string {
  const text = meta[key];
  if (text === undefined) throw new InputError(`${path}: not an rxnn checkpoint: metadata "${key}" is missing`);
  return text;
}
