import { z } from 'zod';
import { InputError, SettingError } from '../core/errors.js';
import { checkWithSchema, parseJsonWith } from '../core/schema-check.js';
import { DEFAULT_LEAKY_SLOPE, HIDDEN_ACTIVATIONS, type HiddenActivation } from './layers/activation.js';
import { DEFAULT_BATCH_NORM } from './layers/batch-norm.js';
import { LAYER_KINDS, layerKindOf, type LayerSpec } from './layers/layer-kinds.js';
import { placeLayers, type ModelSpec } from './model-spec.js';

/**
 * The compact syntax of a network's layers, comma-separated tokens:
 * `dense:N`, `relu`, `sigmoid`, `tanh`, `leaky-relu[:SLOPE]`, `dropout:P`,
 * `batchnorm`, `flatten`, `conv:CHANNELS:KERNEL[:STRIDE[:PADDING]]`,
 * `maxpool:SIZE[:STRIDE]`, `avgpool:SIZE[:STRIDE]`, e.g.
 * `conv:16:5,relu,maxpool:2,flatten,dense:100,relu,dense:10`.
 */
export const LAYER_TOKENS = ['dense:N', ...HIDDEN_ACTIVATIONS.map((f) => (f === 'leaky-relu' ? 'leaky-relu[:SLOPE]' : f)), 'dropout:P', 'batchnorm', 'flatten', 'conv:CHANNELS:KERNEL[:STRIDE[:PADDING]]', 'maxpool:SIZE[:STRIDE]', 'avgpool:SIZE[:STRIDE]'] as const;

/** One token's reading: its values by name, in order, the first `required` of them required. */
interface TokenForm {
  readonly values: readonly string[];
  readonly required: number;
  /** Whole numbers (counts, sizes) or any number (rates, slopes). */
  readonly whole: boolean;
  readonly make: (values: readonly number[]) => LayerSpec;
}

// The conv and pool kinds are registered by their own files; their specs are built here by name and checked by placeLayers.
const spec = (value: { readonly type: string; readonly [field: string]: unknown }): LayerSpec => value as LayerSpec;

const FORMS: Readonly<Record<string, TokenForm>> = {
  dense: { values: ['UNITS'], required: 1, whole: true, make: ([units]) => ({ type: 'dense', units: units! }) },
  ...Object.fromEntries(
    HIDDEN_ACTIVATIONS.map((fn: HiddenActivation): [string, TokenForm] =>
      fn === 'leaky-relu'
        ? [fn, { values: ['SLOPE'], required: 0, whole: false, make: ([slope]) => ({ type: 'activation', function: fn, slope: slope ?? DEFAULT_LEAKY_SLOPE }) }]
        : [fn, { values: [], required: 0, whole: false, make: () => ({ type: 'activation', function: fn }) }],
    ),
  ),
  dropout: { values: ['P'], required: 1, whole: false, make: ([rate]) => ({ type: 'dropout', rate: rate! }) },
  batchnorm: { values: [], required: 0, whole: false, make: () => ({ type: 'batch-norm', ...DEFAULT_BATCH_NORM }) },
  flatten: { values: [], required: 0, whole: false, make: () => ({ type: 'flatten' }) },
  conv: {
    values: ['CHANNELS', 'KERNEL', 'STRIDE', 'PADDING'],
    required: 2,
    whole: true,
    make: ([channels, kernel, stride, padding]) => spec({ type: 'conv2d', channels, kernel, stride: stride ?? 1, padding: padding ?? 0 }),
  },
  maxpool: { values: ['SIZE', 'STRIDE'], required: 1, whole: true, make: ([size, stride]) => spec({ type: 'max-pool', size, stride: stride ?? size }) },
  avgpool: { values: ['SIZE', 'STRIDE'], required: 1, whole: true, make: ([size, stride]) => spec({ type: 'avg-pool', size, stride: stride ?? size }) },
};

/**
 * The layer specs a `--layers` string describes, in order. Only the syntax
 * is checked here (a SettingError of `layers` naming the token and its
 * position, e.g. `token 3 "conv:16" needs CHANNELS:KERNEL`); ranges and
 * shapes are checked where the spec meets its input (placeLayers).
 */
export function parseLayers(text: string): LayerSpec[] {
  const tokens = text.split(',').map((token) => token.trim());
  if (tokens.length === 1 && tokens[0] === '') throw new SettingError('layers', `no layers given (e.g. ${'"dense:100,relu,dense:10"'})`);
  return tokens.map((token, i) => parseToken(token, i + 1));
}

function parseToken(token: string, position: number): LayerSpec {
  const where = `token ${position} "${token}"`;
  const [name = '', ...texts] = token.split(':');
  const form = FORMS[name.toLowerCase()];
  if (form === undefined) throw new SettingError('layers', `${where}: unknown layer (known: ${LAYER_TOKENS.join(', ')})`);
  const syntax = `${name}${form.values.map((v, i) => (i < form.required ? `:${v}` : `[:${v}`)).join('')}${']'.repeat(form.values.length - form.required)}`;
  if (texts.length < form.required) throw new SettingError('layers', `${where} needs ${form.values.slice(0, form.required).join(':')}`);
  if (texts.length > form.values.length) {
    throw new SettingError('layers', form.values.length === 0 ? `${where} takes no values` : `${where} takes at most ${form.values.length} value${form.values.length === 1 ? '' : 's'} (${syntax})`);
  }
  const values = texts.map((text, i) => {
    const value = Number(text);
    const ok = text.trim() !== '' && Number.isFinite(value) && (!form.whole || (/^\d+$/.test(text.trim()) && Number.isSafeInteger(value)));
    if (!ok) throw new SettingError('layers', `${where}: ${form.values[i]} must be ${form.whole ? 'a whole number' : 'a number'}, got "${text}"`);
    return value;
  });
  return form.make(values);
}

/**
 * Layers in the syntax parseLayers reads, e.g. `conv:16:5:1:0,relu,maxpool:2:2,flatten,dense:10`
 * (optional values written out); a layer the syntax cannot say exactly (batch
 * norm with other settings than the defaults, an unknown type) is written as JSON.
 */
export function formatLayers(layers: readonly { readonly type: string }[]): string {
  return layers.map(formatLayer).join(',');
}

function formatLayer(layer: { readonly type: string; readonly [field: string]: unknown }): string {
  const tokens: Record<string, () => string | undefined> = {
    dense: () => `dense:${String(layer['units'])}`,
    activation: () => (layer['function'] === 'leaky-relu' ? `leaky-relu:${String(layer['slope'] ?? DEFAULT_LEAKY_SLOPE)}` : String(layer['function'])),
    dropout: () => `dropout:${String(layer['rate'])}`,
    'batch-norm': () => (layer['momentum'] === DEFAULT_BATCH_NORM.momentum && layer['eps'] === DEFAULT_BATCH_NORM.eps ? 'batchnorm' : undefined),
    flatten: () => 'flatten',
    conv2d: () => `conv:${String(layer['channels'])}:${String(layer['kernel'])}:${String(layer['stride'] ?? 1)}:${String(layer['padding'] ?? 0)}`,
    'max-pool': () => `maxpool:${String(layer['size'])}:${String(layer['stride'] ?? layer['size'])}`,
    'avg-pool': () => `avgpool:${String(layer['size'])}:${String(layer['stride'] ?? layer['size'])}`,
  };
  return tokens[layer.type]?.() ?? JSON.stringify(layer);
}

/** A model as a JSON file gives it: its layers and, if it says, the shape of one sample. */
export interface ModelFile {
  readonly input?: readonly number[];
  readonly layers: readonly LayerSpec[];
}

const layerList = z.array(z.looseObject({ type: z.string() })).min(1, 'a model needs at least its output layer');
const modelFileSchema = z.strictObject({ input: z.array(z.int().positive()).min(1).optional(), layers: layerList });

/**
 * A model read from JSON text (untrusted): `{"input":[1,28,28],"layers":[...]}`
 * (the form of ModelSpec, `input` optional) or the list of layers alone.
 * Every layer is checked against its kind's schema, and the whole against
 * `input` when given; an InputError names `where` (the file) and the field,
 * e.g. `net.json: layers.2: units: too small: expected number to be >0`.
 */
export function parseModelFile(text: string, where: string): ModelFile {
  const parsed = parseJsonWith(z.unknown(), text, where);
  const file = Array.isArray(parsed) ? { layers: checkWithSchema(layerList, parsed, `${where}: layers`) } : checkWithSchema(modelFileSchema, parsed, where);
  const layers = file.layers.map((layer, i) => {
    const kind = layerKindOf(layer as LayerSpec);
    const field = `${where}: layers.${i}`;
    if (kind === undefined) throw new InputError(`${field}.type: unknown layer type ${JSON.stringify(layer.type)} (known: ${LAYER_KINDS.map((k) => k.type).join(', ')})`);
    return checkWithSchema(kind.schema, layer, field) as LayerSpec;
  });
  if (file.input === undefined) return { layers };
  const model: ModelSpec = { input: file.input, layers };
  try {
    placeLayers(model);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${where}: ${error.message}`);
    throw error;
  }
  return model;
}
