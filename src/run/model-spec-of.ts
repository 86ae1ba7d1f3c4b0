import { SettingError } from '../core/errors.js';
import type { InitSpec } from '../model/init.js';
import type { LayerSpec } from '../model/layers/layer-kinds.js';
import { checkModelSpec, DEFAULT_BATCH_NORM, hiddenLayers, LayerError, type HiddenActivation, type MlpOptions, type ModelSpec } from '../model/model-spec.js';

/** The network: an MLP of `hidden` layers, each dense, batch norm (optional), the activation and dropout (optional), then `classes` scores. */
export interface ModelSettings {
  /** Widths of the hidden layers, e.g. [50] or [128, 64]. */
  readonly hidden: readonly number[];
  readonly activation: HiddenActivation;
  readonly init: InitSpec;
  /** Dropout rate of every hidden layer (0: none). */
  readonly dropout: number;
  /** Batch normalisation after every hidden dense layer. */
  readonly batchNorm: boolean;
  readonly classes: number;
}

/** The network the model settings describe, for inputs of `input` values. */
export function modelSpecOf(settings: { readonly model: ModelSettings }, input: number): ModelSpec {
  const spec = { input: [input], layers: mlpLayers(settings.model) };
  checkModelSpec(spec);
  return spec;
}

/** The layers of mlpSpec: per hidden width dense, batch norm, activation, dropout; then the class scores. */
function mlpLayers(m: ModelSettings): LayerSpec[] {
  const options: MlpOptions = { activation: m.activation, dropout: m.dropout, ...(m.batchNorm ? { batchNorm: DEFAULT_BATCH_NORM } : {}) };
  return [...m.hidden.flatMap((units) => hiddenLayers(units, options)), { type: 'dense', units: m.classes }];
}

/** The setting that makes each kind of layer of an MLP (the last dense layer is made by `classes`). */
const SETTING_OF: Readonly<Record<string, keyof ModelSettings>> = { dense: 'hidden', activation: 'activation', 'batch-norm': 'batchNorm', dropout: 'dropout' };

/**
 * Checks the fields that become layers (widths, activation, dropout,
 * classes) by building the spec: the layers' own schemas are the only
 * check, and a problem is reported as the setting that made the layer.
 */
export function checkModelLayers(m: ModelSettings): void {
  const layers = mlpLayers(m);
  try {
    checkModelSpec({ input: [1], layers });
  } catch (error) {
    if (!(error instanceof LayerError)) throw error;
    const setting = error.index === layers.length - 1 ? 'classes' : SETTING_OF[layers[error.index]?.type ?? ''];
    throw new SettingError(setting ?? error.title, error.issue.problem);
  }
}
