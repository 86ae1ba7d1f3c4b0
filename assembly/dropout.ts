// Dropout masks from the layer's own xoshiro128** generator, the same
// sequence src/random/random.ts draws (each draw depends on the last, so
// the draws are scalar; applying the mask is not).

/**
 * For `length` values: mask[i] = scale when the next uniform draw is below
 * `keep`, else 0; y = x ⊙ mask. The generator's four state words are read
 * from and written back to `state`.
 */
export function dropout(state: usize, x: usize, mask: usize, y: usize, length: i32, keep: f64, scale: f32): void {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  for (let i = 0; i < length; i++) {
    // two 32-bit draws make one double with 53 random bits, as Random.float()
    let high = rotl<u32>(s1 * 5, 7) * 9;
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
    let low = rotl<u32>(s1 * 5, 7) * 9;
    t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
    const u = (<f64>(high >>> 5) * 67108864 + <f64>(low >>> 6)) / 9007199254740992;
    const kept: f32 = u < keep ? scale : 0;
    store<f32>(mask + (<usize>i << 2), kept);
    store<f32>(y + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) * kept);
  }
  store<u32>(state, s0); store<u32>(state, s1, 4); store<u32>(state, s2, 8); store<u32>(state, s3, 12);
}
