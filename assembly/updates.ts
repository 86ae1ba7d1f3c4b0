// Optimizer updates over elements [from, to) of one parameter (from a
// multiple of 4), computed as the TypeScript optimizers compute them: in
// f64 from the stored f32 values, each stored value rounded once. Each
// returns how many new parameter values are not finite. With `keep` (an
// address of one i32 address per array the update writes: the value, then
// each slot; 0 for none) it first copies what it overwrites there, so the
// step can be undone.
import { highToF64, lowToF64, storeLanes, toF32 } from './simd';

/** Copies the `lanes` values at offset o of each array the update writes into its copy named at `keep`. */
// @ts-ignore: decorator
@inline function save(keep: usize, value: usize, slot1: usize, slot2: usize, o: usize, lanes: i32): void {
  if (keep == 0) return;
  storeLanes(<usize>load<i32>(keep) + o, v128.load(value + o), lanes);
  if (slot1 != 0) storeLanes(<usize>load<i32>(keep, 4) + o, v128.load(slot1 + o), lanes);
  if (slot2 != 0) storeLanes(<usize>load<i32>(keep, 8) + o, v128.load(slot2 + o), lanes);
}

// @ts-ignore: decorator
@inline function nonFinite(v: v128): i32 {
  const d = f32x4.sub(v, v);
  return popcnt(i32x4.bitmask(f32x4.ne(d, d)));
}

/** The first `lanes` of v kept, the rest 0 (so they count as finite). */
// @ts-ignore: decorator
@inline function only(v: v128, lanes: i32): v128 {
  if (lanes >= 4) return v;
  return v128.and(v, i32x4.gt_s(i32x4.splat(lanes), i32x4(0, 1, 2, 3)));
}

/** Plain SGD: p ← p - lr·g (relaxed: one fused multiply-add in f32). */
export function sgdUpdate(value: usize, grad: usize, lr: f64, keep: usize, from: i32, to: i32): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const l = f32x4.splat(<f32>-lr);
    let bad = 0;
    for (let i = from; i < to; i += 4) {
      const o = <usize>i << 2;
      save(keep, value, 0, 0, o, to - i);
      const r = f32x4.relaxed_madd(l, v128.load(grad + o), v128.load(value + o));
      storeLanes(value + o, r, to - i);
      bad += nonFinite(only(r, to - i));
    }
    return bad;
  }
  const a = f64x2.splat(-lr);
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const o = <usize>i << 2;
    save(keep, value, 0, 0, o, to - i);
    const p = v128.load(value + o);
    const g = v128.load(grad + o);
    const r = toF32(f64x2.add(lowToF64(p), f64x2.mul(a, lowToF64(g))), f64x2.add(highToF64(p), f64x2.mul(a, highToF64(g))));
    storeLanes(value + o, r, to - i);
    bad += nonFinite(only(r, to - i));
  }
  return bad;
}

/** Momentum: v ← μ·v - lr·g;  p ← p + v. Nesterov: p ← p + μ·v - lr·g with the new v. */
export function momentumUpdate(value: usize, grad: usize, velocity: usize, lr: f64, mu: f64, nesterov: bool, keep: usize, from: i32, to: i32): i32 {
  const l = f64x2.splat(lr);
  const u = f64x2.splat(mu);
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const o = <usize>i << 2;
    save(keep, value, velocity, 0, o, to - i);
    const g = v128.load(grad + o);
    const glo = f64x2.mul(l, lowToF64(g));
    const ghi = f64x2.mul(l, highToF64(g));
    const vel = v128.load(velocity + o);
    const v = toF32(f64x2.sub(f64x2.mul(u, lowToF64(vel)), glo), f64x2.sub(f64x2.mul(u, highToF64(vel)), ghi));
    storeLanes(velocity + o, v, to - i);
    const p = v128.load(value + o);
    let lo: v128, hi: v128;
    if (nesterov) {
      lo = f64x2.sub(f64x2.add(lowToF64(p), f64x2.mul(u, lowToF64(v))), glo);
      hi = f64x2.sub(f64x2.add(highToF64(p), f64x2.mul(u, highToF64(v))), ghi);
    } else {
      lo = f64x2.add(lowToF64(p), lowToF64(v));
      hi = f64x2.add(highToF64(p), highToF64(v));
    }
    const r = toF32(lo, hi);
    storeLanes(value + o, r, to - i);
    bad += nonFinite(only(r, to - i));
  }
  return bad;
}

/**
 * AdaGrad (decay 0: h ← h + g²) and RMSprop (h ← ρ·h + (1 - ρ)·g²), then
 * p ← p - lr·g / (√h + ε).
 */
export function squaredGradientUpdate(value: usize, grad: usize, h: usize, lr: f64, rho: f64, eps: f64, rmsprop: bool, keep: usize, from: i32, to: i32): i32 {
  const l = f64x2.splat(lr);
  const e = f64x2.splat(eps);
  const decay = f64x2.splat(rho);
  const rest = f64x2.splat(1 - rho);
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const o = <usize>i << 2;
    save(keep, value, h, 0, o, to - i);
    const g = v128.load(grad + o);
    const glo = lowToF64(g);
    const ghi = highToF64(g);
    const old = v128.load(h + o);
    let nlo: v128, nhi: v128;
    if (rmsprop) {
      nlo = f64x2.add(f64x2.mul(decay, lowToF64(old)), f64x2.mul(f64x2.mul(rest, glo), glo));
      nhi = f64x2.add(f64x2.mul(decay, highToF64(old)), f64x2.mul(f64x2.mul(rest, ghi), ghi));
    } else {
      nlo = f64x2.add(lowToF64(old), f64x2.mul(glo, glo));
      nhi = f64x2.add(highToF64(old), f64x2.mul(ghi, ghi));
    }
    const hv = toF32(nlo, nhi);
    storeLanes(h + o, hv, to - i);
    const p = v128.load(value + o);
    const r = toF32(
      f64x2.sub(lowToF64(p), f64x2.div(f64x2.mul(l, glo), f64x2.add(f64x2.sqrt(lowToF64(hv)), e))),
      f64x2.sub(highToF64(p), f64x2.div(f64x2.mul(l, ghi), f64x2.add(f64x2.sqrt(highToF64(hv)), e))),
    );
    storeLanes(value + o, r, to - i);
    bad += nonFinite(only(r, to - i));
  }
  return bad;
}

/**
 * Adam: m ← β1·m + (1 - β1)·g;  v ← β2·v + (1 - β2)·g²;
 * p ← p - lr·(m / c1) / (√(v / c2) + ε), with the bias corrections c1 = 1 - β1ᵗ and c2 = 1 - β2ᵗ.
 */
export function adamUpdate(
  value: usize, grad: usize, m: usize, v: usize, lr: f64, beta1: f64, beta2: f64, eps: f64, c1: f64, c2: f64, keep: usize, from: i32, to: i32,
): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return adamFloat32(value, grad, m, v, lr, beta1, beta2, eps, c1, c2, keep, from, to);
  const l = f64x2.splat(lr);
  const b1 = f64x2.splat(beta1);
  const r1 = f64x2.splat(1 - beta1);
  const b2 = f64x2.splat(beta2);
  const r2 = f64x2.splat(1 - beta2);
  const e = f64x2.splat(eps);
  const k1 = f64x2.splat(c1);
  const k2 = f64x2.splat(c2);
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const o = <usize>i << 2;
    save(keep, value, m, v, o, to - i);
    const g = v128.load(grad + o);
    const glo = lowToF64(g);
    const ghi = highToF64(g);
    const mo = v128.load(m + o);
    const mv = toF32(f64x2.add(f64x2.mul(b1, lowToF64(mo)), f64x2.mul(r1, glo)), f64x2.add(f64x2.mul(b1, highToF64(mo)), f64x2.mul(r1, ghi)));
    storeLanes(m + o, mv, to - i);
    const vo = v128.load(v + o);
    const vv = toF32(
      f64x2.add(f64x2.mul(b2, lowToF64(vo)), f64x2.mul(f64x2.mul(r2, glo), glo)),
      f64x2.add(f64x2.mul(b2, highToF64(vo)), f64x2.mul(f64x2.mul(r2, ghi), ghi)),
    );
    storeLanes(v + o, vv, to - i);
    const p = v128.load(value + o);
    const r = toF32(
      f64x2.sub(lowToF64(p), f64x2.div(f64x2.mul(l, f64x2.div(lowToF64(mv), k1)), f64x2.add(f64x2.sqrt(f64x2.div(lowToF64(vv), k2)), e))),
      f64x2.sub(highToF64(p), f64x2.div(f64x2.mul(l, f64x2.div(highToF64(mv), k1)), f64x2.add(f64x2.sqrt(f64x2.div(highToF64(vv), k2)), e))),
    );
    storeLanes(value + o, r, to - i);
    bad += nonFinite(only(r, to - i));
  }
  return bad;
}

/** Adam in f32 with fused multiply-adds (the relaxed build): four values per step instead of two. */
function adamFloat32(
  value: usize, grad: usize, m: usize, v: usize, lr: f64, beta1: f64, beta2: f64, eps: f64, c1: f64, c2: f64, keep: usize, from: i32, to: i32,
): i32 {
  const b1 = f32x4.splat(<f32>beta1);
  const r1 = f32x4.splat(<f32>(1 - beta1));
  const b2 = f32x4.splat(<f32>beta2);
  const r2 = f32x4.splat(<f32>(1 - beta2));
  const e = f32x4.splat(<f32>eps);
  // lr·(m / c1) / (√(v / c2) + ε) = (lr / c1)·m / (√v / √c2 + ε)
  const step = f32x4.splat(<f32>(lr / c1));
  const root = f32x4.splat(<f32>(1 / Math.sqrt(c2)));
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const o = <usize>i << 2;
    save(keep, value, m, v, o, to - i);
    const g = v128.load(grad + o);
    const mv = f32x4.relaxed_madd(r1, g, f32x4.mul(b1, v128.load(m + o)));
    storeLanes(m + o, mv, to - i);
    const vv = f32x4.relaxed_madd(f32x4.mul(r2, g), g, f32x4.mul(b2, v128.load(v + o)));
    storeLanes(v + o, vv, to - i);
    const r = f32x4.sub(v128.load(value + o), f32x4.div(f32x4.mul(step, mv), f32x4.relaxed_madd(f32x4.sqrt(vv), root, e)));
    storeLanes(value + o, r, to - i);
    bad += nonFinite(only(r, to - i));
  }
  return bad;
}
