// WebAssembly SIMD kernels (AssemblyScript). Arrays are row-major f32 at byte
// addresses in this module's memory; the TypeScript side copies operands in.

/**
 * C[m×n] = Σ_p A(i, p) · B[p×n], where A(i, p) is at a + 4·(i·ars + p·acs):
 * ars = k, acs = 1 for A[m×k]; ars = 1, acs = m for Aᵀ with A stored [k×m].
 * Blocks of 4 rows × 8 columns in eight f32x4 accumulators; a block skips
 * the p where its four A values are all zero (MNIST inputs are mostly zeros).
 */
export function gemm(a: usize, ars: i32, acs: i32, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const n8 = n & ~7;
  const m4 = m & ~3;
  const stride = <usize>n << 2;
  const rowStep = <usize>ars << 2;
  const colStep = <usize>acs << 2;
  for (let i = 0; i < m4; i += 4) {
    const a0 = a + <usize>i * rowStep;
    for (let j = 0; j < n8; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let bp = b + (<usize>j << 2);
      let ap = a0;
      for (let p = 0; p < k; p++, bp += stride, ap += colStep) {
        const s0 = load<f32>(ap);
        const s1 = load<f32>(ap + rowStep);
        const s2 = load<f32>(ap + 2 * rowStep);
        const s3 = load<f32>(ap + 3 * rowStep);
        if (s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0) continue;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = f32x4.splat(s0), x1 = f32x4.splat(s1), x2 = f32x4.splat(s2), x3 = f32x4.splat(s3);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      }
      const cp = c + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + stride, c10); v128.store(cp + stride, c11, 16);
      v128.store(cp + 2 * stride, c20); v128.store(cp + 2 * stride, c21, 16);
      v128.store(cp + 3 * stride, c30); v128.store(cp + 3 * stride, c31, 16);
    }
    for (let r = i; r < i + 4; r++) gemmRow(a, rowStep, colStep, b, c, r, k, n, n8);
  }
  for (let r = m4; r < m; r++) gemmRow(a, rowStep, colStep, b, c, r, k, n, 0);
}

/** Row r of C, columns from `from` on, one f32 at a time (the ragged edges). */
function gemmRow(a: usize, rowStep: usize, colStep: usize, b: usize, c: usize, r: i32, k: i32, n: i32, from: i32): void {
  const stride = <usize>n << 2;
  for (let j = from; j < n; j++) {
    let sum: f32 = 0;
    let ap = a + <usize>r * rowStep;
    let bp = b + (<usize>j << 2);
    for (let p = 0; p < k; p++, ap += colStep, bp += stride) sum += load<f32>(ap) * load<f32>(bp);
    store<f32>(c + ((<usize>r * <usize>n + <usize>j) << 2), sum);
  }
}

/** C[m×n] = A[m×k] · Bᵀ, B stored [n×k]: dot products of rows, four lanes at a time. */
export function gemmTransB(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const ar = a + ((<usize>i * <usize>k) << 2);
    for (let j = 0; j < n; j++) {
      const br = b + ((<usize>j * <usize>k) << 2);
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p < k4; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(ar + (<usize>p << 2)), v128.load(br + (<usize>p << 2))));
      let sum: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; p < k; p++) sum += load<f32>(ar + (<usize>p << 2)) * load<f32>(br + (<usize>p << 2));
      store<f32>(c + ((<usize>i * <usize>n + <usize>j) << 2), sum);
    }
  }
}
