export type FloatArray = Float32Array | Float64Array;

/**
 * All the arithmetic the layers need, on row-major arrays. Sizes are passed
 * explicitly: arrays may be longer than the part in use. Outputs are
 * overwritten unless the name says otherwise. A faster implementation
 * (WebAssembly, threads) replaces this without touching the layers.
 */
export interface Kernels {
  /** C[m×n] = A[m×k] · B[k×n] */
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** C[m×n] = Aᵀ · B, where A is stored [k×m] and B is [k×n] */
  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** C[m×n] = A · Bᵀ, where A is [m×k] and B is stored [n×k] */
  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** C[i][j] += bias[j] for an [m×n] matrix */
  addBias(c: FloatArray, bias: FloatArray, m: number, n: number): void;
  /** out[j] = Σ_i A[i][j] for an [m×n] matrix */
  sumRows(a: FloatArray, out: FloatArray, m: number, n: number): void;
  /** y = x · alpha + y over the first `length` values */
  axpy(alpha: number, x: FloatArray, y: FloatArray, length: number): void;
  /** y = 1 / (1 + e^-x) */
  sigmoid(x: FloatArray, y: FloatArray, length: number): void;
  /** dx = dy · y · (1 - y), given the sigmoid's output y */
  sigmoidBackward(y: FloatArray, dy: FloatArray, dx: FloatArray, length: number): void;
  /**
   * Softmax cross-entropy of [m×n] logits against integer labels. Returns the
   * summed loss over the m rows; when `grad` is given, writes
   * (softmax - onehot) · gradScale into it.
   */
  softmaxCrossEntropy(
    logits: FloatArray,
    labels: Int32Array,
    m: number,
    n: number,
    grad?: FloatArray,
    gradScale?: number,
  ): number;
  /** How many rows of [m×n] scores have their largest value (first, on ties) at the label. */
  countCorrect(scores: FloatArray, labels: Int32Array, m: number, n: number): number;
}
