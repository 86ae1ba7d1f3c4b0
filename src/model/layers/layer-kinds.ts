import { activationKind } from './activation.js';
import { avgPoolKind } from './avg-pool.js';
import { batchNormKind } from './batch-norm.js';
import { conv2dKind } from './conv2d.js';
import { denseKind } from './dense.js';
import { dropoutKind } from './dropout.js';
import { flattenKind } from './flatten.js';
import type { LayerKind } from './layer.js';
import { maxPoolKind } from './max-pool.js';

export * from './activation.js';
export * from './avg-pool.js';
export * from './batch-norm.js';
export * from './conv2d.js';
export * from './dense.js';
export * from './dropout.js';
export * from './flatten.js';
export * from './max-pool.js';
export { imageShape, windowGeometry, poolGeometry } from './window.js';

/** Every kind of layer a model spec may hold. A new kind is added here and nowhere else in src/model. */
export const LAYER_KINDS = [denseKind, activationKind, batchNormKind, dropoutKind, flattenKind, conv2dKind, maxPoolKind, avgPoolKind] as const;

/** One layer of a model spec: a member of the union of the kinds' specs, told apart by `type`. */
export type LayerSpec = (typeof LAYER_KINDS)[number] extends infer K ? (K extends LayerKind<infer S> ? S : never) : never;

export type LayerType = LayerSpec['type'];

/** The kind of a layer spec; undefined for a type rxnn does not know. */
export function layerKindOf<S extends LayerSpec>(spec: S): LayerKind<S> | undefined {
  return LAYER_KINDS.find((kind) => kind.type === spec.type) as LayerKind<S> | undefined;
}
