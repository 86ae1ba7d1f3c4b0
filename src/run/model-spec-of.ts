import { DEFAULT_BATCH_NORM, mlpSpec, type ModelSpec } from '../model/model-spec.js';
import type { TrainSettings } from './settings.js';

/** The network the settings describe, for inputs of `input` values. */
export function modelSpecOf(settings: TrainSettings, input: number): ModelSpec {
  return mlpSpec(input, settings.hidden, settings.classes, {
    activation: settings.activation,
    dropout: settings.dropout,
    ...(settings.batchNorm ? { batchNorm: DEFAULT_BATCH_NORM } : {}),
  });
}
