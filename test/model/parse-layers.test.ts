import { describe, expect, it } from 'vitest';
import { InputError, LESSON_SETTINGS, SettingError, type TrainSettings } from '../../src/index.js';
import { formatLayers, parseLayers, parseModelFile } from '../../src/model/parse-layers.js';
import { modelSpecOf, startsOnImages } from '../../src/run/model-spec-of.js';

describe('parseLayers', () => {
  it('reads every token into its layer spec, with the defaults of optional values', () => {
    const text = 'conv:16:5,relu,maxpool:2,conv:32:3:2:1,leaky-relu,leaky-relu:0.2,avgpool:3:1,batchnorm,flatten,dense:100,sigmoid,tanh,dropout:0.5,dense:10';
    expect(parseLayers(text)).toEqual([
      { type: 'conv2d', channels: 16, kernel: 5, stride: 1, padding: 0 },
      { type: 'activation', function: 'relu' },
      { type: 'max-pool', size: 2, stride: 2 },
      { type: 'conv2d', channels: 32, kernel: 3, stride: 2, padding: 1 },
      { type: 'activation', function: 'leaky-relu', slope: 0.01 },
      { type: 'activation', function: 'leaky-relu', slope: 0.2 },
      { type: 'avg-pool', size: 3, stride: 1 },
      { type: 'batch-norm', momentum: 0.9, eps: 1e-5 },
      { type: 'flatten' },
      { type: 'dense', units: 100 },
      { type: 'activation', function: 'sigmoid' },
      { type: 'activation', function: 'tanh' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10 },
    ]);
    expect(parseLayers(' dense:50 , RELU ,dense:10')).toEqual([{ type: 'dense', units: 50 }, { type: 'activation', function: 'relu' }, { type: 'dense', units: 10 }]);
  });

  it('names the token and its position in every syntax error', () => {
    const problem = (text: string): string => {
      try {
        parseLayers(text);
      } catch (error) {
        expect(error).toBeInstanceOf(SettingError);
        expect((error as SettingError).setting).toBe('layers');
        return (error as SettingError).problem;
      }
      throw new Error(`accepted "${text}"`);
    };
    expect(problem('dense:10,relu,conv:16')).toBe('token 3 "conv:16" needs CHANNELS:KERNEL');
    expect(problem('dense')).toBe('token 1 "dense" needs UNITS');
    expect(problem('dense:10,relu:2')).toBe('token 2 "relu:2" takes no values');
    expect(problem('maxpool:2:2:2')).toBe('token 1 "maxpool:2:2:2" takes at most 2 values (maxpool:SIZE[:STRIDE])');
    expect(problem('conv:1:2:3:4:5')).toBe('token 1 "conv:1:2:3:4:5" takes at most 4 values (conv:CHANNELS:KERNEL[:STRIDE[:PADDING]])');
    expect(problem('dense:1.5')).toBe('token 1 "dense:1.5": UNITS must be a whole number, got "1.5"');
    expect(problem('conv:16:x')).toBe('token 1 "conv:16:x": KERNEL must be a whole number, got "x"');
    expect(problem('dropout:half')).toBe('token 1 "dropout:half": P must be a number, got "half"');
    expect(problem('dense:10,,dense:10')).toMatch(/^token 2 "": unknown layer \(known: dense:N, sigmoid, .*avgpool:SIZE\[:STRIDE\]\)$/);
    expect(problem('swish')).toMatch(/^token 1 "swish": unknown layer/);
    expect(problem('')).toMatch(/^no layers given/);
  });
});

describe('formatLayers', () => {
  it('writes layers back in the syntax parseLayers reads, optional values written out', () => {
    const text = 'conv:16:5:1:0,relu,maxpool:2:2,conv:8:3:2:1,leaky-relu:0.2,avgpool:3:1,batchnorm,flatten,dense:100,tanh,dropout:0.5,dense:10';
    expect(formatLayers(parseLayers(text))).toBe(text);
    expect(parseLayers(formatLayers(parseLayers('conv:16:5,maxpool:2,flatten,leaky-relu,dense:10')))).toEqual(parseLayers('conv:16:5,maxpool:2,flatten,leaky-relu,dense:10'));
  });

  it('writes a layer the syntax cannot say exactly as JSON', () => {
    expect(formatLayers([{ type: 'batch-norm', momentum: 0.5, eps: 1e-3 }, { type: 'dense', units: 10 }] as never[])).toBe('{"type":"batch-norm","momentum":0.5,"eps":0.001},dense:10');
  });
});

describe('parseModelFile', () => {
  it('reads a ModelSpec or a list of layers', () => {
    const layers = [{ type: 'dense', units: 20 }, { type: 'activation', function: 'relu' }, { type: 'dense', units: 10 }];
    expect(parseModelFile(JSON.stringify({ input: [784], layers }), 'net.json')).toEqual({ input: [784], layers });
    expect(parseModelFile(JSON.stringify(layers), 'net.json')).toEqual({ layers });
    expect(parseModelFile(JSON.stringify({ layers }), 'net.json')).toEqual({ layers });
  });

  it('refuses bad files with one line naming the file and the field', () => {
    const bad = (value: unknown): (() => unknown) => () => parseModelFile(typeof value === 'string' ? value : JSON.stringify(value), 'net.json');
    expect(bad('{')).toThrow(/^net\.json: not valid JSON$/);
    expect(bad({ layers: [] })).toThrow(/^net\.json: layers: a model needs at least its output layer$/);
    expect(bad({ input: [784], layers: [{ type: 'dense', units: 10 }], extra: 1 })).toThrow(/^net\.json: extra: not a field rxnn writes here$/);
    expect(bad({ input: [0], layers: [{ type: 'dense', units: 10 }] })).toThrow(/^net\.json: input\.0: /);
    expect(bad([{ type: 'dense', units: 10 }, { type: 'dense', units: -1 }])).toThrow(/^net\.json: layers\.1: units: too small/);
    expect(bad([{ type: 'dense', units: 10, bias: false }])).toThrow(/^net\.json: layers\.0: bias: not a field rxnn writes here$/);
    expect(bad([{ type: 'swish' }])).toThrow(/^net\.json: layers\.0\.type: unknown layer type "swish" \(known: dense, /);
    expect(bad([{ units: 3 }])).toThrow(/^net\.json: layers: 0\.type: /);
    expect(bad({ input: [1, 28, 28], layers: [{ type: 'dense', units: 10 }] })).toThrow(/^net\.json: layer 1 \(dense:10\): needs a vector of values, got a \[1, 28, 28\] input$/);
    expect(bad({ input: [1, 28, 28], layers: [{ type: 'dense', units: 10 }] })).toThrow(InputError);
  });
});

describe('modelSpecOf with layers', () => {
  const settings = (layers: unknown[]): TrainSettings => ({ ...LESSON_SETTINGS, model: { ...LESSON_SETTINGS.model, layers: layers as TrainSettings['model']['layers'] } });
  const mnist = { inputSize: 784, shape: [28, 28] };

  it('gives vector layers the flat input, and the MLP flags their MLP as before', () => {
    const layers = parseLayers('dense:32,relu,dense:10');
    expect(modelSpecOf(settings(layers), mnist)).toEqual({ input: [784], layers });
    expect(modelSpecOf(LESSON_SETTINGS, mnist)).toEqual(modelSpecOf(LESSON_SETTINGS, 784));
    expect(modelSpecOf(LESSON_SETTINGS, 784).layers).toHaveLength(3);
  });

  it('starts on images when the first layer that is not value-by-value is a convolution or pooling', () => {
    expect(startsOnImages(parseLayers('conv:4:3,relu,flatten,dense:10'))).toBe(true);
    expect(startsOnImages(parseLayers('batchnorm,relu,maxpool:2,flatten,dense:10'))).toBe(true);
    expect(startsOnImages(parseLayers('flatten,dense:10'))).toBe(false);
    expect(startsOnImages(parseLayers('relu,dense:10,maxpool:2'))).toBe(false);
  });

  it('refuses layers that do not fit, as a SettingError of layers naming the layer', () => {
    const refusal = (text: string, data: number | typeof mnist = mnist): string => {
      try {
        modelSpecOf(settings(parseLayers(text)), data);
      } catch (error) {
        expect(error).toBeInstanceOf(SettingError);
        return `${(error as SettingError).setting}: ${(error as SettingError).problem}`;
      }
      throw new Error(`accepted ${text}`);
    };
    expect(refusal('dense:10,dropout:1')).toMatch(/^layers: layer 2 \(dropout:1\): rate: /);
    expect(refusal('dense:32,relu,dense:9')).toBe('layers: the last layer gives 9 class scores, but there are 10 classes (end with dense:10)');
    expect(refusal('dense:32,relu')).toBe('layers: the last layer gives 32 class scores, but there are 10 classes (end with dense:10)');
    expect(refusal('maxpool:2,flatten,dense:10', 784)).toBe('layers: the first layers (max-pool) need images with a height and width, but the data are vectors of 784 values');
  });
});
