import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_NORM, LESSON_SETTINGS, mlpSpec, parseModelMetadata, type ResumePoint } from '../../src/index.js';
import { modelSpecOf } from '../../src/run/model-spec-of.js';
import { runMismatch } from '../../src/run/check-resume-point.js';

const V1_LESSON = '{"input":784,"layers":[{"type":"dense","units":50,"activation":"sigmoid"},{"type":"dense","units":10,"activation":"softmax"}]}';
const V1_MODERN =
  '{"input":12,"layers":[{"type":"dense","units":8,"activation":"leaky-relu","slope":0.01,"batchNorm":{"momentum":0.9,"eps":0.00001},"dropout":0.2},' +
  '{"type":"dense","units":3,"activation":"softmax"}]}';

describe('model metadata, today\'s form and the MLP form of older checkpoints', () => {
  it('reads today\'s form as written', () => {
    const spec = mlpSpec(784, [50], 10);
    expect(parseModelMetadata(JSON.stringify(spec), 'm')).toEqual(spec);
  });

  it('migrates the old MLP form to the spec the same flags build today', () => {
    expect(parseModelMetadata(V1_LESSON, 'm')).toEqual(mlpSpec(784, [50], 10));
    expect(parseModelMetadata(V1_MODERN, 'm')).toEqual(mlpSpec(12, [8], 3, { activation: 'leaky-relu', batchNorm: DEFAULT_BATCH_NORM, dropout: 0.2 }));
  });

  it('refuses old forms that were never valid', () => {
    expect(() => parseModelMetadata(V1_LESSON.replace('"sigmoid"', '"softmax"'), 'ckpt: metadata "model"')).toThrow(/^ckpt: metadata "model": layers\.0: softmax belongs to the output layer alone$/);
    expect(() => parseModelMetadata(V1_LESSON.replace('"units":10,"activation":"softmax"', '"units":10,"activation":"tanh"'), 'm')).toThrow(/^m: layers\.1: the output layer takes softmax alone$/);
    expect(() => parseModelMetadata('{"input":[784],"layers":[]}', 'm')).toThrow(/^m: layers: /);
    expect(() => parseModelMetadata('[', 'm')).toThrow(/^m: not valid JSON$/);
  });

  it('lets a run resume from a checkpoint that stores its model in the old form', () => {
    const point = { name: 'epoch-0001.safetensors', file: { tensors: [], metadata: { model: V1_LESSON } }, state: {} } as unknown as ResumePoint;
    const kernels = { backend: 'ts', simd: 'plain' } as const;
    expect(runMismatch(point, modelSpecOf(LESSON_SETTINGS, 784), LESSON_SETTINGS, kernels)).toBeUndefined();
    expect(runMismatch(point, modelSpecOf({ model: { ...LESSON_SETTINGS.model, hidden: [40] } }, 784), LESSON_SETTINGS, kernels)?.field).toBe('model');
  });
});
