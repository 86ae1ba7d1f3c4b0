import { describe, expect, it } from 'vitest';
import { BEST_SETTINGS, checkTrainSettings, CNN_LAYERS, CNN_SETTINGS, flatOverrides, formatLayers, LESSON_SETTINGS, parseLayers, placeLayers, presetSettings, SettingError } from '../../src/index.js';
import { modelSpecOf } from '../../src/run/model-spec-of.js';

describe('presetSettings: a preset with settings laid over it, in the library', () => {
  it('takes a preset by name and replaces only what is given, group by group', () => {
    expect(presetSettings('lesson')).toEqual(LESSON_SETTINGS);
    const s = presetSettings('best', { model: { hidden: [64] }, optimizer: { lr: undefined }, run: { epochs: 3, seed: 9 } });
    expect(s).toEqual({ ...BEST_SETTINGS, model: { ...BEST_SETTINGS.model, hidden: [64] }, run: { ...BEST_SETTINGS.run, epochs: 3, seed: 9 } });
  });

  it('gives a new activation its default init, unless an init is given', () => {
    expect(presetSettings('lesson', { model: { activation: 'relu' } }).model.init).toEqual({ kind: 'he' });
    expect(presetSettings('lesson', { model: { activation: 'relu', initStd: 0.1 } }).model.init).toEqual({ kind: 'normal', std: 0.1 });
    expect(() => presetSettings('lesson', { model: { init: { kind: 'he' }, initStd: 0.1 } })).toThrow(SettingError);
  });

  it('keeps the preset optimizer\'s hyperparameters only for that optimizer, and refuses one the optimizer does not use', () => {
    const momentum = presetSettings('lesson', { optimizer: { name: 'momentum', momentum: 0.8 } });
    expect(momentum.optimizer.momentum).toBe(0.8);
    expect(presetSettings(momentum, { optimizer: { lr: 0.2 } }).optimizer.momentum).toBe(0.8);
    expect(presetSettings(momentum, { optimizer: { name: 'adam' } }).optimizer.momentum).toBeUndefined();
    expect(() => presetSettings('lesson', { optimizer: { beta1: 0.9 } })).toThrow(new SettingError('beta1', 'only adam use it, not sgd'));
  });

  it('replaces the schedule when a kind is given, keeping the warmup unless it is given too', () => {
    const warm = presetSettings('best', { schedule: { warmup: 100 } });
    expect(warm.schedule).toEqual({ kind: 'cosine', warmup: 100 });
    expect(presetSettings(warm, { schedule: { kind: 'step', every: 5, gamma: 0.5 } }).schedule).toEqual({ kind: 'step', every: 5, gamma: 0.5, warmup: 100 });
    expect(() => presetSettings('lesson', { schedule: { kind: 'exponential', gamma: 2 } })).toThrow(SettingError);
  });

  it('checks the settings where they are built, once: each checked group is frozen, so it stays as it was checked', () => {
    expect(() => presetSettings('lesson', { model: { dropout: 1.5 } })).toThrow(new SettingError('dropout', 'must be in [0, 1), got 1.5'));
    const s = presetSettings('lesson', { run: { epochs: 2 } });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.model)).toBe(true);
    expect(Object.isFrozen(s.model.hidden)).toBe(true);
    expect(() => checkTrainSettings(s)).not.toThrow();
    // an unchecked object with the same values is checked on its own
    expect(() => checkTrainSettings({ ...s, data: { ...s.data, batchSize: 0 } })).toThrow(new SettingError('batchSize', 'must be a positive integer, got 0'));
  });

  it('names a layer field out of range as the setting that made the layer: the layers\' schemas are the one check', () => {
    const model = (m: object) => () => presetSettings('lesson', { model: m });
    expect(model({ hidden: [50, 0] })).toThrow(SettingError);
    expect(model({ hidden: [50, 0] })).toThrow(/^hidden: too small/);
    expect(model({ activation: 'softmax' })).toThrow(/^activation: /);
    expect(model({ classes: 1 })).toThrow(new SettingError('classes', 'need at least 2 classes'));
    expect(model({ classes: 2.5 })).toThrow(/^classes: /);
    expect(() => presetSettings('lesson', { model: { init: { kind: 'normal', std: 0 } } })).toThrow(/^initStd: /);
  });

  it('takes flat overrides named as the flags, as the command line gives them', () => {
    const flat = flatOverrides({ epochs: 5, seed: 2, lr: 0.01, optimizer: 'adam', lrSchedule: { kind: 'step', every: 2, gamma: 0.5 }, warmup: 10, hidden: [20], batchSize: undefined });
    expect(flat).toEqual({
      model: { hidden: [20] },
      optimizer: { name: 'adam', lr: 0.01 },
      schedule: { kind: 'step', every: 2, gamma: 0.5, warmup: 10 },
      run: { epochs: 5, seed: 2 },
    });
    expect(presetSettings('lesson', flat).schedule).toEqual({ kind: 'step', every: 2, gamma: 0.5, warmup: 10 });
  });

  it('has a cnn preset: its layers on [1, 28, 28] images, shifted training images, Adam with a cosine schedule', () => {
    const s = presetSettings('cnn');
    expect(s).toEqual(CNN_SETTINGS);
    expect(formatLayers(s.model.layers!)).toBe('conv:16:5:1:0,relu,maxpool:2:2,conv:32:5:1:0,relu,maxpool:2:2,flatten,dense:100,relu,dropout:0.5,dense:10');
    expect(s.model.layers).toEqual(parseLayers(CNN_LAYERS));
    const spec = modelSpecOf(s, { inputSize: 784, shape: [28, 28] });
    expect(spec.input).toEqual([1, 28, 28]);
    expect(placeLayers(spec).map((layer) => layer.output)).toEqual([
      [16, 24, 24], [16, 24, 24], [16, 12, 12], [32, 8, 8], [32, 8, 8], [32, 4, 4], [512], [100], [100], [100], [10],
    ]);
    expect(s.data.augment).toEqual({ shift: 2, rotate: 0, scale: 1 });
    expect([s.optimizer.name, s.optimizer.lr, s.schedule.kind, s.model.init]).toEqual(['adam', 0.001, 'cosine', { kind: 'he' }]);
    // overrides of other groups keep its network and augmentation
    const short = presetSettings('cnn', flatOverrides({ epochs: 2, lr: 0.002 }));
    expect([short.model.layers, short.data.augment, short.run.epochs, short.optimizer.lr]).toEqual([s.model.layers, s.data.augment, 2, 0.002]);
  });
});
