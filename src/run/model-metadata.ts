import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { HIDDEN_ACTIVATIONS, hiddenLayers, type ModelSpec } from '../model/model-spec.js';
import { checkWithSchema, parseJsonWith } from '../core/schema-check.js';

/** The layers as checkpoints store them; each layer's fields are checked by its kind (checkModelSpec). */
const modelSchema = z.strictObject({
  input: z.array(z.int().positive()).min(1),
  layers: z.array(z.looseObject({ type: z.string() })).min(1),
});

/**
 * Checkpoints written before model specs were lists of shaped layers
 * (rxnn 86db299 and earlier): an input width and one entry per dense layer
 * with what followed it, e.g. {"input":784,"layers":[{"type":"dense",
 * "units":50,"activation":"sigmoid"},{"type":"dense","units":10,"activation":"softmax"}]}.
 * Their tensor names are those rxnn still gives (dense.{i}, dense.{i}.bn).
 */
const mlpSchemaV1 = z.strictObject({
  input: z.int().positive(),
  layers: z
    .array(
      z.strictObject({
        type: z.literal('dense'),
        units: z.int().positive(),
        activation: z.enum([...HIDDEN_ACTIVATIONS, 'softmax']),
        slope: z.number().optional(),
        batchNorm: z.strictObject({ momentum: z.number(), eps: z.number() }).optional(),
        dropout: z.number().optional(),
      }),
    )
    .min(1),
});

/**
 * The model a checkpoint's `model` metadata describes, in today's form
 * (older forms migrated), not yet checked against the layer kinds:
 * checkModelSpec does that. `where` names the metadata in errors.
 */
export function parseModelMetadata(text: string, where: string): ModelSpec {
  const value = parseJsonWith(z.unknown(), text, where);
  const legacy = typeof value === 'object' && value !== null && typeof (value as { input?: unknown }).input === 'number';
  return legacy ? migrateMlpSpecV1(checkWithSchema(mlpSchemaV1, value, where), where) : (checkWithSchema(modelSchema, value, where) as unknown as ModelSpec);
}

/** The list of shaped layers an old checkpoint's MLP was built as. */
function migrateMlpSpecV1(old: z.output<typeof mlpSchemaV1>, where: string): ModelSpec {
  const layers = old.layers.flatMap((layer, i): ModelSpec['layers'] => {
    const { units, activation, slope, batchNorm, dropout } = layer;
    const fail = (problem: string): never => {
      throw new InputError(`${where}: layers.${i}: ${problem}`);
    };
    if (i < old.layers.length - 1) {
      return activation === 'softmax' ? fail('softmax belongs to the output layer alone') : hiddenLayers(units, { activation, slope, batchNorm, dropout });
    }
    if (activation !== 'softmax' || batchNorm !== undefined || dropout !== undefined) fail('the output layer takes softmax alone');
    return [{ type: 'dense', units }];
  });
  return { input: [old.input], layers };
}
