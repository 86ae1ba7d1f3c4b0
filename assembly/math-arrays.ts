// V8's Math.exp, Math.expm1, Math.tanh and Math.log over f64 arrays, for
// the tests that hold the kernels' arithmetic against the engine's own.
import { exp64x2, expm164x2, log64, tanh64x2 } from './libm';

// @ts-ignore: decorator
@inline function map2(x: usize, y: usize, length: i32, f: (v: v128) => v128): void {
  for (let i = 0; i < length; i += 2) {
    const v = length - i >= 2 ? v128.load(x + (<usize>i << 3)) : f64x2.splat(load<f64>(x + (<usize>i << 3)));
    const r = f(v);
    store<f64>(y + (<usize>i << 3), f64x2.extract_lane(r, 0));
    if (length - i >= 2) store<f64>(y + (<usize>i << 3), f64x2.extract_lane(r, 1), 8);
  }
}

export function mathExp(x: usize, y: usize, length: i32): void {
  map2(x, y, length, exp64x2);
}

export function mathExpm1(x: usize, y: usize, length: i32): void {
  map2(x, y, length, expm164x2);
}

export function mathTanh(x: usize, y: usize, length: i32): void {
  map2(x, y, length, tanh64x2);
}

export function mathLog(x: usize, y: usize, length: i32): void {
  for (let i = 0; i < length; i++) store<f64>(y + (<usize>i << 3), log64(load<f64>(x + (<usize>i << 3))));
}
