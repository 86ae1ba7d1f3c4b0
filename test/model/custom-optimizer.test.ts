import { describe, expect, it } from 'vitest';
import { checkFraction } from '../../src/model/optimizers/check-fraction.js';
import { createWasmKernels, Parameter, StatefulOptimizer, tsKernels, type FloatArray, type Kernels, type UpdateRule } from '../../src/index.js';

/** The class of CONTRIBUTING.md's "Adding an optimizer", as written there. */
class Lion extends StatefulOptimizer {
  protected readonly slotNames = ['m'];

  constructor(learningRate: number, readonly beta1 = 0.9, readonly beta2 = 0.99, kernels?: Kernels) {
    super(learningRate, kernels);
    checkFraction('beta1', beta1);
    checkFraction('beta2', beta2);
  }

  protected rule(): UpdateRule {
    const { learningRate: lr, beta1, beta2 } = this;
    const step = (value: FloatArray, grad: FloatArray, [m]: readonly FloatArray[], length: number): void => {
      for (let i = 0; i < length; i++) {
        value[i] = value[i]! - lr * Math.sign(beta1 * m![i]! + (1 - beta1) * grad[i]!);
        m![i] = beta2 * m![i]! + (1 - beta2) * grad[i]!;
      }
    };
    return { kind: 'custom', step };
  }
}

describe('an optimizer written in TypeScript (CONTRIBUTING.md)', () => {
  it('steps, keeps its slot in the optimizer state, and undoes a step, on either backend', () => {
    const wasm = createWasmKernels();
    try {
      for (const kernels of [tsKernels, wasm]) {
        const p = new Parameter('w', [2], 'float32', (dtype, length) => kernels.allocate(dtype, length));
        p.value.set([1, -1]);
        const lion = new Lion(0.1, 0.9, 0.99, kernels);
        p.grad.set([0.5, -2]);
        lion.update([p]);
        // m = 0: p ← p - 0.1·sign(0.1·g) = [0.9, -0.9]; m ← 0.01·g = [0.005, -0.02]
        expect(Array.from(p.value)).toEqual([Math.fround(0.9), Math.fround(-0.9)]);
        expect(lion.state().slots.map(([name, slot]) => [name, Array.from(slot)])).toEqual([['w.m', [Math.fround(0.005), Math.fround(-0.02)]]]);
        p.grad.set([-1, 0]);
        lion.update([p], true);
        // sign(0.9·0.005 - 0.1) = -1, sign(0.9·-0.02) = -1: p ← [1.0, -0.8]
        expect(Array.from(p.value)).toEqual([Math.fround(Math.fround(0.9) + 0.1), Math.fround(Math.fround(-0.9) + 0.1)]);
        lion.revert();
        expect(Array.from(p.value)).toEqual([Math.fround(0.9), Math.fround(-0.9)]);
        expect(lion.steps).toBe(1);
      }
    } finally {
      wasm.close();
    }
  });
});
