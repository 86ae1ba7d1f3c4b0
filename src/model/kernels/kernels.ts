import type { DType } from '../dtype.js';

export type FloatArray = Float32Array | Float64Array;

/**
 * The non-zeros of a matrix, row by row, made by one kernels object's
 * `sparseMatrix()` and filled by its `compress`; opaque to everyone else.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nonZeros: number;
}

/**
 * All the arithmetic the layers need, on row-major arrays. Sizes are passed
 * explicitly: arrays may be longer than the part in use. Outputs are
 * overwritten unless the name says otherwise. A faster implementation
 * (WebAssembly, threads) replaces this without touching the layers.
 */
export interface Kernels {
  /** Which implementation this is ('ts', 'wasm'); checkpoints record it so evaluation can use the same. */
  readonly backend: string;
  /** What runs underneath, for people (e.g. 'wasm, relaxed SIMD, 2 threads'). */
  readonly description: string;
  /**
   * A zeroed array the products read and write in place (for wasm: inside
   * the module's memory, so nothing is copied per call). Take buffers once
   * per shape: the memory is not given back before the kernels object goes.
   */
  allocate(dtype: DType, length: number): FloatArray;
  /** An empty container for `compress`. */
  sparseMatrix(): SparseMatrix;
  /**
   * Fills `into` with the non-zeros of A[m×k] and returns true, unless more
   * than maxDensity · m · k of its values are non-zero (or the kernels have
   * no sparse path for this array type): then returns false and the dense
   * products should be used.
   */
  compress(a: FloatArray, m: number, k: number, into: SparseMatrix, maxDensity: number): boolean;
  /** C[m×n] = S · B, S compressed [m×k], B [k×n]: the same values as matmul on S's dense form. */
  sparseMatmul(s: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void;
  /** C[k×n] = Sᵀ · B, S compressed [m×k], B [m×n]: the same values as matmulTransA on S's dense form. */
  sparseMatmulTransA(s: SparseMatrix, b: FloatArray, c: FloatArray, n: number): void;
  /** Ends the kernels' worker threads, if any (the kernels must not be used afterwards). */
  close(): void;
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
  /** x[at + i] = bytes[i] · scale + offset for every byte, computed in double precision and rounded once */
  bytesToFloats(bytes: Uint8Array, x: FloatArray, at: number, scale: number, offset: number): void;
  /** y = x · alpha + y over the first `length` values */
  axpy(alpha: number, x: FloatArray, y: FloatArray, length: number): void;
  /** y = 1 / (1 + e^-x) */
  sigmoid(x: FloatArray, y: FloatArray, length: number): void;
  /** dx = dy · y · (1 - y), given the sigmoid's output y */
  sigmoidBackward(y: FloatArray, dy: FloatArray, dx: FloatArray, length: number): void;
  /** y = tanh(x) */
  tanh(x: FloatArray, y: FloatArray, length: number): void;
  /** dx = dy · (1 - y²), given the tanh's output y */
  tanhBackward(y: FloatArray, dy: FloatArray, dx: FloatArray, length: number): void;
  /** y = x for x > 0, slope · x otherwise (slope 0: ReLU) */
  leakyRelu(x: FloatArray, y: FloatArray, length: number, slope: number): void;
  /** dx = dy for x > 0, slope · dy otherwise, given the input x */
  leakyReluBackward(x: FloatArray, dy: FloatArray, dx: FloatArray, length: number, slope: number): void;
  /** out = a ⊙ b, element-wise */
  multiply(a: FloatArray, b: FloatArray, out: FloatArray, length: number): void;
  /** Per column of an [m×n] matrix: the mean and the (biased) variance. */
  columnMoments(x: FloatArray, mean: FloatArray, variance: FloatArray, m: number, n: number): void;
  /** xhat = (x - mean[j]) · invStd[j]; y = gamma[j] · xhat + beta[j], for an [m×n] matrix */
  batchNormalize(
    x: FloatArray, mean: FloatArray, invStd: FloatArray, gamma: FloatArray, beta: FloatArray,
    xhat: FloatArray, y: FloatArray, m: number, n: number,
  ): void;
  /**
   * Backward of batchNormalize with batch statistics: dbeta = Σ dy,
   * dgamma = Σ dy · xhat, dx = gamma · invStd / m · (m · dy - dbeta - xhat · dgamma).
   */
  batchNormBackward(
    dy: FloatArray, xhat: FloatArray, gamma: FloatArray, invStd: FloatArray,
    dgamma: FloatArray, dbeta: FloatArray, dx: FloatArray, m: number, n: number,
  ): void;
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
