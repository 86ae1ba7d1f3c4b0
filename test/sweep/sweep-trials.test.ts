import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkSweepSpec } from '../../src/sweep/sweep-spec.js';
import { sweepTrials, trialFlags } from '../../src/sweep/sweep-trials.js';
import { parse } from 'yaml';

describe('sweepTrials', () => {
  it('tries every grid combination over the base, the last setting varying fastest', () => {
    const spec = checkSweepSpec({ base: { epochs: 3, lr: 1 }, grid: { lr: [0.1, 0.03], hidden: ['50', '128,64'] } }, 'sweep.yaml');
    expect(sweepTrials(spec)).toEqual([
      { index: 0, settings: { epochs: 3, lr: 0.1, hidden: '50' } },
      { index: 1, settings: { epochs: 3, lr: 0.1, hidden: '128,64' } },
      { index: 2, settings: { epochs: 3, lr: 0.03, hidden: '50' } },
      { index: 3, settings: { epochs: 3, lr: 0.03, hidden: '128,64' } },
    ]);
  });

  it('draws random choices from the seed: the same file gives the same trials, another seed others', () => {
    const file = (seed: number) => ({
      grid: { seed: [0, 1] },
      random: { seed, count: 20, choices: { lr: { 'log-uniform': [0.001, 0.1] }, dropout: { uniform: [0, 0.5] }, activation: ['relu', 'tanh'] } },
    });
    const trials = sweepTrials(checkSweepSpec(file(7), 's'));
    expect(trials).toHaveLength(40);
    expect(sweepTrials(checkSweepSpec(file(7), 's'))).toEqual(trials);
    expect(sweepTrials(checkSweepSpec(file(8), 's'))).not.toEqual(trials);
    for (let r = 0; r < 20; r++) {
      const [a, b] = [trials[2 * r]!.settings, trials[2 * r + 1]!.settings];
      // One draw, once per seed of the grid.
      expect({ ...a, seed: 1 }).toEqual(b);
      expect(a['lr']).toBeGreaterThanOrEqual(0.001);
      expect(a['lr']).toBeLessThanOrEqual(0.1);
      expect(a['dropout']).toBeGreaterThanOrEqual(0);
      expect(a['dropout']).toBeLessThanOrEqual(0.5);
      expect(String(a['lr']).replace(/^0\.0*|\.|e.*$/g, '').length).toBeLessThanOrEqual(4);
    }
    expect(new Set(trials.map((t) => t.settings['activation']))).toEqual(new Set(['relu', 'tanh']));
    // Log-uniform: about as many draws below 0.01 as above it.
    const below = trials.filter((t, i) => i % 2 === 0 && (t.settings['lr'] as number) < 0.01).length;
    expect(below).toBeGreaterThan(4);
    expect(below).toBeLessThan(16);
  });

  it('reads YAML and JSON alike, flag names in either case', () => {
    const yaml = parse('base:\n  batchSize: 50\n  batch-norm: true\n  stream: false\ngrid:\n  hidden: ["50", "100"]\n  sha256: [[a, b]]\n');
    const json = JSON.parse('{"base": {"batch-size": 50, "batchNorm": true, "stream": false}, "grid": {"hidden": ["50", "100"], "sha256": [["a", "b"]]}}');
    const [fromYaml, fromJson] = [sweepTrials(checkSweepSpec(yaml, 'a.yaml')), sweepTrials(checkSweepSpec(json, 'a.json'))];
    expect(fromYaml).toEqual(fromJson);
    expect(trialFlags(fromYaml[1]!.settings)).toEqual(['--batch-size', '50', '--batch-norm', '--no-stream', '--hidden', '100', '--sha256', 'a', '--sha256', 'b']);
  });

  it('refuses a malformed sweep, naming the file and the field', () => {
    const refused = (content: unknown): string => {
      try {
        checkSweepSpec(content, 'study.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ grid: { lr: [] } })).toMatch(/^study\.yaml: grid\.lr: a grid setting needs at least one value/);
    expect(refused({ grids: { lr: [1] } })).toMatch(/^study\.yaml: grids: not a field/);
    expect(refused({ grid: { lr: 0.1 } })).toMatch(/^study\.yaml: grid\.lr: /);
    expect(refused({ random: { seed: 1, count: 0, choices: {} } })).toMatch(/^study\.yaml: random\.count: /);
    expect(refused({ random: { seed: 1, count: 2, choices: { lr: { uniform: [0.1, 0.01] } } } })).toMatch(/random\.choices\.lr/);
    expect(refused({ random: { seed: 1, count: 2, choices: { lr: { 'log-uniform': [0, 1] } } } })).toMatch(/must be positive/);
    expect(refused({ grid: { lr: [0.1] }, random: { seed: 1, count: 2, choices: { lr: [0.2] } } })).toMatch(/random\.choices\.lr: lr is also in grid/);
    expect(refused([1, 2])).toMatch(/^study\.yaml: /);
  });
});
