import { InputError, SettingError } from '../core/errors.js';
import { issueParts } from '../core/schema-check.js';
import { DEFAULT_LEAKY_SLOPE, type ActivationSpec, type HiddenActivation } from './layers/activation.js';
import type { BatchNormSpec } from './layers/batch-norm.js';
import type { LayerKind, LayerNames, LayerTensor, Shape } from './layers/layer.js';
import { LAYER_KINDS, layerKindOf, type LayerSpec } from './layers/layer-kinds.js';

export { DEFAULT_BATCH_NORM } from './layers/batch-norm.js';
export { DEFAULT_LEAKY_SLOPE, HIDDEN_ACTIVATIONS, type HiddenActivation } from './layers/activation.js';

/**
 * What a network is, in the form stored in checkpoint metadata: the shape
 * of one sample and the layers in order, the last one's output being the
 * class scores (its softmax is part of the loss), e.g.
 * {"input":[784],"layers":[{"type":"dense","units":50},
 * {"type":"activation","function":"sigmoid"},{"type":"dense","units":10}]}.
 */
export interface ModelSpec {
  readonly input: Shape;
  readonly layers: readonly LayerSpec[];
}

export interface MlpOptions {
  /** Of every hidden layer; default sigmoid (the lesson's). */
  readonly activation?: HiddenActivation;
  readonly slope?: number;
  /** Batch normalisation between every hidden dense layer and its activation. */
  readonly batchNorm?: Omit<BatchNormSpec, 'type'>;
  /** Dropout after every hidden activation (0 or undefined: none). */
  readonly dropout?: number;
}

/**
 * A multilayer perceptron on inputs of `input` values: per hidden width a
 * dense layer, batch norm (optional), the activation and dropout
 * (optional); then a dense layer of `classes` scores.
 */
export function mlpSpec(input: number, hidden: readonly number[], classes: number, options: MlpOptions = {}): ModelSpec {
  const spec = { input: [input], layers: [...hidden.flatMap((units) => hiddenLayers(units, options)), { type: 'dense' as const, units: classes }] };
  checkModelSpec(spec);
  return spec;
}

/** One hidden layer of an MLP as mlpSpec makes it: dense, batch norm (optional), activation, dropout (optional). */
export function hiddenLayers(units: number, options: MlpOptions = {}): LayerSpec[] {
  const fn = options.activation ?? 'sigmoid';
  const activation: ActivationSpec = { type: 'activation', function: fn, ...(fn === 'leaky-relu' ? { slope: options.slope ?? DEFAULT_LEAKY_SLOPE } : {}) };
  return [
    { type: 'dense', units },
    ...(options.batchNorm === undefined ? [] : [{ type: 'batch-norm' as const, ...options.batchNorm }]),
    activation,
    ...(options.dropout === undefined || options.dropout === 0 ? [] : [{ type: 'dropout' as const, rate: options.dropout }]),
  ];
}

/** A tensor a network holds: its name in checkpoints (`dense.0.weight`) and its shape. */
export type TensorShape = LayerTensor;

/** One layer of a spec in its place: what it takes and gives, its name and tensors. */
export interface PlacedLayer {
  readonly spec: LayerSpec;
  readonly kind: LayerKind<LayerSpec>;
  /** How messages name it: `layer 2 (sigmoid)`, counting from 1. */
  readonly title: string;
  readonly input: Shape;
  readonly output: Shape;
  /** For layers holding tensors, e.g. `dense.0`; their tensors are `{name}.{tensor}`. */
  readonly name: string | undefined;
  readonly tensors: readonly TensorShape[];
}

/**
 * The spec's layers with their shapes, names and tensors, checked on the
 * way: every field against its kind's schema and every layer against its
 * input's shape; the last must give a vector of at least 2 class scores.
 * Errors name the layer, e.g. `layer 3 (dense:0): units: too small: ...`.
 */
export function placeLayers(spec: ModelSpec): PlacedLayer[] {
  if (!Array.isArray(spec.input) || spec.input.length === 0 || !spec.input.every((n) => Number.isSafeInteger(n) && n > 0)) {
    throw new SettingError('input', `must be a shape of positive integers such as [784], got ${JSON.stringify(spec.input)}`);
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new SettingError('layers', 'a model needs at least its output layer');
  const counts = new Map<string, number>();
  const names: { -readonly [K in keyof LayerNames]: LayerNames[K] } = {
    previous: undefined,
    next: (stem) => {
      const n = counts.get(stem) ?? 0;
      counts.set(stem, n + 1);
      return `${stem}.${n}`;
    },
  };
  let input: Shape = spec.input;
  const placed = spec.layers.map((layer, i): PlacedLayer => {
    const kind = layerKindOf(layer);
    if (kind === undefined) {
      throw new SettingError(`layer ${i + 1}`, `unknown type ${JSON.stringify((layer as { type?: unknown }).type)} (known: ${LAYER_KINDS.map((k) => k.type).join(', ')})`);
    }
    const title = `layer ${i + 1} (${kind.label(layer)})`;
    const checked = kind.schema.safeParse(layer);
    if (!checked.success) throw new LayerError(title, i, issueParts(checked.error.issues[0]!));
    let output: Shape;
    let tensors: readonly LayerTensor[];
    try {
      output = kind.outputShape(layer, input);
      tensors = kind.tensors(layer, input);
    } catch (error) {
      throw new SettingError(title, (error as Error).message);
    }
    const name = tensors.length > 0 ? (kind.name?.(layer, names) ?? names.next(kind.type)) : undefined;
    if (name !== undefined) names.previous = name;
    const result = { spec: layer, kind, title, input, output, name, tensors: tensors.map((t) => ({ ...t, name: `${name}.${t.name}` })) };
    input = output;
    return result;
  });
  const last = placed.at(-1)!;
  if (last.output.length !== 1) throw new SettingError(last.title, `the last layer must give a vector of class scores, got [${last.output.join(', ')}]`);
  if (last.output[0]! < 2) throw new SettingError('classes', 'need at least 2 classes');
  return placed;
}

/** A layer's field out of its kind's range: `layer 3 (dropout:1.5): rate: must be in [0, 1), got 1.5`. */
export class LayerError extends InputError {
  constructor(
    readonly title: string,
    /** The layer's index in the spec, from 0. */
    readonly index: number,
    readonly issue: { readonly field: string | undefined; readonly problem: string },
  ) {
    super(`${title}: ${issue.field === undefined ? '' : `${issue.field}: `}${issue.problem}`);
  }
}

export function checkModelSpec(spec: ModelSpec): void {
  placeLayers(spec);
}
