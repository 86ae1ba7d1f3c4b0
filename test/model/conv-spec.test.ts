import { describe, expect, it } from 'vitest';
import { placeLayers, type LayerSpec, type ModelSpec } from '../../src/index.js';
import { checkModelSize, modelTensorShapes } from '../../src/model/model-size.js';

const conv = (channels: number, kernel: number, more: { stride?: number; padding?: number } = {}): LayerSpec => ({ type: 'conv2d', channels, kernel, ...more });
const relu: LayerSpec = { type: 'activation', function: 'relu' };

/** The book's chapter 8 style: two 5x5 conv layers with max pooling, a dense layer, dropout. */
const CNN: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    conv(16, 5), relu, { type: 'max-pool', size: 2 },
    conv(32, 5), { type: 'batch-norm', momentum: 0.9, eps: 1e-5 }, relu, { type: 'max-pool', size: 2 },
    { type: 'flatten' }, { type: 'dense', units: 100 }, relu, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10 },
  ],
};

function message(spec: ModelSpec): string {
  try {
    placeLayers(spec);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('placeLayers accepted the spec');
}

describe('conv and pooling layers in model specs', () => {
  it('shapes flow through conv, pooling, batch norm on maps and flatten', () => {
    const placed = placeLayers(CNN);
    expect(placed.map((l) => l.output)).toEqual([
      [16, 24, 24], [16, 24, 24], [16, 12, 12], [32, 8, 8], [32, 8, 8], [32, 8, 8], [32, 4, 4], [512], [100], [100], [100], [10],
    ]);
    expect(placed.map((l) => l.title.replace(/^layer \d+ /, ''))).toEqual([
      '(conv2d:16:5)', '(relu)', '(max-pool:2)', '(conv2d:32:5)', '(batch-norm)', '(relu)', '(max-pool:2)', '(flatten)', '(dense:100)', '(relu)', '(dropout:0.5)', '(dense:10)',
    ]);
  });

  it('conv weights are [out, in, kh, kw] as PyTorch stores them; batch norm after a conv is per channel', () => {
    expect(modelTensorShapes(CNN).map((t) => `${t.name} ${t.shape.join('x')}`)).toEqual([
      'conv2d.0.weight 16x1x5x5', 'conv2d.0.bias 16', 'conv2d.1.weight 32x16x5x5', 'conv2d.1.bias 32',
      'conv2d.1.bn.gamma 32', 'conv2d.1.bn.beta 32', 'dense.0.weight 512x100', 'dense.0.bias 100', 'dense.1.weight 100x10', 'dense.1.bias 10',
      'conv2d.1.bn.running_mean 32', 'conv2d.1.bn.running_var 32',
    ]);
  });

  it('stride and padding: outputs as PyTorch counts them (windows that fit whole)', () => {
    const placed = placeLayers({ input: [3, 28, 28], layers: [conv(8, 3, { stride: 2, padding: 1 }), conv(4, 2, { stride: 3 }), { type: 'flatten' }, { type: 'dense', units: 2 }] });
    expect(placed[0]!.output).toEqual([8, 14, 14]);
    expect(placed[1]!.output).toEqual([4, 5, 5]);
    expect(placed[0]!.title).toBe('layer 1 (conv2d:8:3 stride 2 padding 1)');
    expect(placeLayers({ input: [2, 9, 9], layers: [{ type: 'max-pool', size: 3, stride: 2 }, { type: 'flatten' }, { type: 'dense', units: 2 }] })[0]!.output).toEqual([2, 4, 4]);
  });

  it('errors name the layer and what does not fit', () => {
    const at = (layers: LayerSpec[], input = [1, 28, 28]): string => message({ input, layers: [...layers, { type: 'flatten' }, { type: 'dense', units: 10 }] });
    expect(at([conv(16, 5, { padding: 2 }), relu, { type: 'max-pool', size: 2 }, { type: 'max-pool', size: 2 }, { type: 'max-pool', size: 2 }])).toBe(
      'layer 5 (max-pool:2): input 7x7 is not divisible by 2',
    );
    expect(at([conv(4, 5), { type: 'avg-pool', size: 3, stride: 2 }])).toMatch(/^layer 2 \(avg-pool:3 stride 2\): input 24x24 is not covered by windows of 3 every 2 pixels/);
    expect(at([conv(4, 5)], [784])).toBe('layer 1 (conv2d:4:5): needs a [channels, height, width] input, got a [784] input');
    expect(at([{ type: 'flatten' }, { type: 'max-pool', size: 2 }])).toBe('layer 2 (max-pool:2): needs a [channels, height, width] input, got a [784] input');
    expect(at([conv(4, 5, { padding: 1 })], [1, 2, 2])).toBe('layer 1 (conv2d:4:5 padding 1): kernel 5 is larger than the padded input 4x4');
    expect(at([{ type: 'max-pool', size: 4 }], [1, 3, 3])).toBe('layer 1 (max-pool:4): window 4 is larger than the input 3x3');
    expect(at([conv(0, 5)])).toMatch(/^layer 1 \(conv2d:0:5\): channels: /);
    expect(at([{ type: 'conv2d', channels: 4, kernel: 3, stride: 0 } as LayerSpec])).toMatch(/^layer 1 \(.*\): stride: /);
    expect(at([{ type: 'max-pool', size: 2, padding: 1 } as unknown as LayerSpec])).toMatch(/^layer 1 \(max-pool:2\): .*padding/);
    expect(at([{ type: 'batch-norm', momentum: 0.9, eps: 1e-5 }], [2, 3])).toBe('layer 1 (batch-norm): needs a vector or feature maps [channels, height, width], got a [2, 3] input');
  });

  it('counts a convolution\'s im2col matrix among the values a batch may hold', () => {
    // conv2d.1's windows: 16·5² values at 8·8 positions = 25,600 per image, more than any layer's output (9,216)
    expect(() => checkModelSize(CNN, 5000)).not.toThrow();
    expect(() => checkModelSize(CNN, 6000)).toThrow(/^batchSize: 6000 rows of up to 25600 values are 153600000 values per batch, more than 134217728$/);
  });
});
