import { describe, expect, it } from 'vitest';
import { nearestFlag } from '../../src/cli/usage-hints.js';
import { runRxnn } from './run-rxnn.js';

describe('usage errors that guide', () => {
  for (const [typed, meant] of [
    ['--learning-rate', '--lr'],
    ['--epoch', '--epochs'],
    ['--optimiser', '--optimizer'],
    ['--batchsize', '--batch-size'],
    ['--hiden', '--hidden'],
    ['--sede', '--seed'],
  ] as const) {
    it(`rxnn train ${typed}: did you mean ${meant}? (no camelCase, exit 2)`, async () => {
      const result = await runRxnn(['train', typed, '3', '--out', '/nonexistent/never-made']);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`rxnn: unknown flag ${typed} (did you mean ${meant}?)\n`);
    });
  }

  it('names every unknown flag once, and says so when nothing is near', async () => {
    const result = await runRxnn(['train', '--learningRate=3', '--no-zzzzzzzz', '--out', '/nonexistent/never-made']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('rxnn: unknown flag --learningRate (did you mean --lr?); unknown flag --no-zzzzzzzz\n');
    // Only the command's own flags are suggested: eval has no --lr.
    const evaluated = await runRxnn(['eval', 'x.safetensors', '--learning-rate=3']);
    expect(evaluated.stderr).toBe('rxnn: unknown flag --learning-rate\n');
  });

  it('suggests only flags of the command given', () => {
    expect(nearestFlag('epoch', ['epochs', 'lr'])).toBe('epochs');
    expect(nearestFlag('epoch', ['json', 'images'])).toBeUndefined();
    expect(nearestFlag('jsno', ['json', 'images'])).toBe('json');
  });

  for (const [command, name] of [
    ['eval', 'CHECKPOINT'],
    ['predict', 'CHECKPOINT'],
    ['plot', 'DIRS'],
  ] as const) {
    it(`rxnn ${command} without its argument names it`, async () => {
      const result = await runRxnn([command]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`rxnn ${command}: missing ${name} (see rxnn ${command} --help)\n`);
    });
  }
});
