import type { Kernels } from './kernels.js';

/** The reference optimizer steps (see Kernels.update): the optimizers' formulas, one value at a time. */
export const applyUpdate: Kernels['update'] = (rule, value, grad, slots, length, previous) => {
  if (previous !== undefined) [value, ...slots].forEach((array, i) => previous[i]!.set(array.subarray(0, length)));
  switch (rule.kind) {
    case 'custom':
      rule.step(value, grad, slots, length);
      break;
    case 'sgd':
      for (let i = 0; i < length; i++) value[i] = value[i]! + -rule.lr * grad[i]!;
      break;
    case 'momentum': {
      const { lr, momentum: mu, nesterov } = rule;
      const v = slots[0]!;
      for (let i = 0; i < length; i++) {
        v[i] = mu * v[i]! - lr * grad[i]!;
        value[i] = nesterov ? value[i]! + mu * v[i]! - lr * grad[i]! : value[i]! + v[i]!;
      }
      break;
    }
    case 'adagrad':
    case 'rmsprop': {
      const { lr, eps } = rule;
      const h = slots[0]!;
      for (let i = 0; i < length; i++) {
        const g = grad[i]!;
        h[i] = rule.kind === 'rmsprop' ? rule.rho * h[i]! + (1 - rule.rho) * g * g : h[i]! + g * g;
        value[i] = value[i]! - (lr * g) / (Math.sqrt(h[i]!) + eps);
      }
      break;
    }
    case 'adam': {
      const { lr, beta1, beta2, eps, correction1, correction2 } = rule;
      const m = slots[0]!;
      const v = slots[1]!;
      for (let i = 0; i < length; i++) {
        const g = grad[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        value[i] = value[i]! - (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + eps);
      }
      break;
    }
  }
  let bad = 0;
  for (let i = 0; i < length; i++) if (!Number.isFinite(value[i]!)) bad++;
  return bad;
};
