// GFLOP/s of one kernels object's matrix products, operands in its memory as a network's are.
// Sparse products count the dense-equivalent 2·m·k·n (A is 19% non-zero, as MNIST is) and
// include compressing A each time, as a training step does.

/** 2·m·k·n / seconds for `product` at shape m×k×n (for sparseMatmulTransA: C[m×n] = Sᵀ·B, S stored [k×m]). */
export function productGflops(kernels, product, m, k, n) {
  const array = (length, value) => {
    const out = kernels.allocate('float32', length);
    for (let i = 0; i < length; i++) out[i] = value(i);
    return out;
  };
  const sparse = product.startsWith('sparse');
  const a = array(m * k, (i) => (!sparse || ((i * 2654435761) >>> 0) % 1000 < 190 ? Math.sin(i) : 0));
  const b = array(k * n, (i) => Math.cos(i));
  const c = array(m * n, () => 0);
  const s = kernels.sparseMatrix();
  const run = {
    sparseMatmul: () => kernels.compress(a, m, k, s, 1) && kernels.sparseMatmul(s, b, c, n),
    // A is the data, stored [k×m]: Xᵀ·dZ
    sparseMatmulTransA: () => kernels.compress(a, k, m, s, 1) && kernels.sparseMatmulTransA(s, b, c, n),
  }[product] ?? (() => kernels[product](a, b, c, m, k, n));
  for (let i = 0; i < 3; i++) run();
  const reps = Math.max(5, Math.round(4e8 / (2 * m * k * n)));
  const started = performance.now();
  for (let r = 0; r < reps; r++) run();
  return (2 * m * k * n * reps) / ((performance.now() - started) / 1000) / 1e9;
}
