import { describe, expect, it } from 'vitest';
import { BEST_SETTINGS, checkTrainSettings, LESSON_SETTINGS, presetSettings, SettingError } from '../../src/index.js';

describe('presetSettings: a preset with settings laid over it, in the library', () => {
  it('takes a preset by name and replaces only what is given', () => {
    expect(presetSettings('lesson')).toEqual(LESSON_SETTINGS);
    const s = presetSettings('best', { epochs: 3, hidden: [64], seed: 9, lr: undefined });
    expect(s).toEqual({ ...BEST_SETTINGS, epochs: 3, hidden: [64], seed: 9 });
  });

  it('gives a new activation its default init, unless an init is given', () => {
    expect(presetSettings('lesson', { activation: 'relu' }).init).toEqual({ kind: 'he' });
    expect(presetSettings('lesson', { activation: 'relu', initStd: 0.1 }).init).toEqual({ kind: 'normal', std: 0.1 });
    expect(() => presetSettings('lesson', { init: { kind: 'he' }, initStd: 0.1 })).toThrow(SettingError);
  });

  it('keeps the preset optimizer\'s hyperparameters only for that optimizer, and refuses one the optimizer does not use', () => {
    const momentum = presetSettings('lesson', { optimizer: 'momentum', momentum: 0.8 });
    expect(momentum.momentum).toBe(0.8);
    expect(presetSettings(momentum, { lr: 0.2 }).momentum).toBe(0.8);
    expect(presetSettings(momentum, { optimizer: 'adam' }).momentum).toBeUndefined();
    expect(() => presetSettings('lesson', { beta1: 0.9 })).toThrow(new SettingError('beta1', 'only adam use it, not sgd'));
  });

  it('checks the settings where they are built, once: the checked object is frozen, so it stays as it was checked', () => {
    expect(() => presetSettings('lesson', { dropout: 1.5 })).toThrow(new SettingError('dropout', 'must be in [0, 1), got 1.5'));
    const s = presetSettings('lesson', { epochs: 2 });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.hidden)).toBe(true);
    expect(() => checkTrainSettings(s)).not.toThrow();
    // an unchecked object with the same values is checked on its own
    expect(() => checkTrainSettings({ ...s, batchSize: 0 })).toThrow(SettingError);
  });
});
