import type { Allocator, SparseMatrix } from '../../core/allocator.js';
import type { FloatArray } from '../../core/dtype.js';

export type { FloatArray } from '../../core/dtype.js';
export type { Pending, SparseMatrix } from '../../core/allocator.js';

/** An element-wise activation function; leaky ReLU's slope is in [0, 1) (0: ReLU). */
export type ActivationFunction =
  | { readonly kind: 'identity' | 'sigmoid' | 'tanh' }
  | { readonly kind: 'leaky-relu'; readonly slope: number };

/**
 * One optimizer step's rule. Each writes the parameter and its slots, in
 * this order: momentum: velocity; adagrad and rmsprop: the sum or mean of
 * squared gradients; adam: m, then v. The rates are the step's own (Adam's
 * bias corrections 1 - βᵗ included), so one object can be reused.
 */
export type UpdateRule =
  | { readonly kind: 'sgd'; readonly lr: number }
  | { readonly kind: 'momentum'; readonly lr: number; readonly momentum: number; readonly nesterov: boolean }
  | { readonly kind: 'adagrad'; readonly lr: number; readonly eps: number }
  | { readonly kind: 'rmsprop'; readonly lr: number; readonly rho: number; readonly eps: number }
  | {
      readonly kind: 'adam';
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      readonly correction1: number;
      readonly correction2: number;
    }
  | {
      /**
       * A step written in TypeScript, for an optimizer the kernels have no
       * rule for: updates the first `length` values of `value` and its
       * slots in place from `grad` (every backend runs it as it is).
       */
      readonly kind: 'custom';
      readonly step: (value: FloatArray, grad: FloatArray, slots: readonly FloatArray[], length: number) => void;
    };

/**
 * Where a square window visits a batch of images stored [rows, channels,
 * height, width] (channels first): every `stride` pixels over the image
 * padded by `padding` zeros on each side, giving outHeight × outWidth
 * positions per channel.
 */
export interface WindowGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly size: number;
  readonly stride: number;
  readonly padding: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * All the arithmetic the layers and optimizers need, on row-major arrays.
 * Sizes are passed explicitly: arrays may be longer than the part in use.
 * Outputs are overwritten unless the name says otherwise. A faster
 * implementation (WebAssembly, threads) replaces this without touching the
 * layers.
 */
export interface Kernels extends Allocator {
  /** Which implementation this is ('ts', 'wasm'); checkpoints record it so evaluation can use the same. */
  readonly backend: string;
  /** How the numbers are rounded where implementations may differ ('plain', 'relaxed'); recorded beside the backend. */
  readonly simd: string;
  /** What runs underneath, for people (e.g. 'wasm, relaxed SIMD, 2 threads'). */
  readonly description: string;
  /** Bytes the kernels can read in place (a data set's images, for `gatherBytes`), zeroed. */
  allocateBytes(length: number): Uint8Array;
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
  /** Y[m×n] = f(X + bias), bias added to every row (omitted: none); Y may be X. */
  biasActivate(x: FloatArray, bias: FloatArray | undefined, y: FloatArray, m: number, n: number, f: ActivationFunction): void;
  /**
   * dX[m×n] = dY ⊙ f'(input), computed from f's output Y (dX may be dY);
   * with `dbias`, also dbias = Σ_i dX[i] (the bias gradient of a layer f follows).
   */
  activationBackward(y: FloatArray, dy: FloatArray, dx: FloatArray, m: number, n: number, f: ActivationFunction, dbias?: FloatArray): void;
  /** out[j] = Σ_i A[i][j] for an [m×n] matrix */
  sumRows(a: FloatArray, out: FloatArray, m: number, n: number): void;
  /** y = x · alpha + y over the first `length` values */
  axpy(alpha: number, x: FloatArray, y: FloatArray, length: number): void;
  /** out = a ⊙ b, element-wise */
  multiply(a: FloatArray, b: FloatArray, out: FloatArray, length: number): void;
  /**
   * Inverted dropout: mask[i] = 1/keep when the next draw of the xoshiro128**
   * generator whose four state words are `state` (advanced in place) is
   * below keep, else 0; y = x ⊙ mask.
   */
  dropout(state: Uint32Array, x: FloatArray, mask: FloatArray, y: FloatArray, length: number, keep: number): void;
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
   * The windows of a batch as the columns of a matrix, so a convolution is
   * one product: cols[(c·size + i)·size + j][(r·outHeight + y)·outWidth + x]
   * = input pixel (y·stride + i - padding, x·stride + j - padding) of
   * channel c of image r, 0 outside the image. cols is
   * [channels·size² × rows·outHeight·outWidth].
   */
  im2col(x: FloatArray, cols: FloatArray, g: WindowGeometry, rows: number): void;
  /** The adjoint of im2col: dx (overwritten) = the sum, over the windows each pixel falls in, of their entries in cols. */
  col2im(cols: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void;
  /**
   * Swaps the two middle axes of [outer × a × b × block] values:
   * y[o][j][i][·] = x[o][i][j][·] (+ bias[i] with `bias`). A convolution's
   * product [channels × rows × positions] becomes images, and images
   * become one channel per column for batch norm.
   */
  transposeBlocks(x: FloatArray, y: FloatArray, outer: number, a: number, b: number, block: number, bias?: FloatArray): void;
  /**
   * Max pooling (padding 0): y [rows, channels, outHeight, outWidth] = the
   * largest value of each window (the first, on ties), whose place in its
   * window (i · size + j) is kept in `argmax` (small integers, exact in
   * any float type).
   */
  maxPool(x: FloatArray, y: FloatArray, argmax: FloatArray, g: WindowGeometry, rows: number): void;
  /** dx (overwritten, [rows, channels, height, width]) = dy added at each window's argmax. */
  maxPoolBackward(dy: FloatArray, argmax: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void;
  /** Average pooling (padding 0): y = the mean of each window. */
  avgPool(x: FloatArray, y: FloatArray, g: WindowGeometry, rows: number): void;
  /** dx (overwritten) = dy / size² spread over each window. */
  avgPoolBackward(dy: FloatArray, dx: FloatArray, g: WindowGeometry, rows: number): void;
  /**
   * Softmax cross-entropy of [m×n] logits against integer labels. Returns the
   * summed loss over the m rows (NaN for a label outside [0, n)); when `grad`
   * is given, writes (softmax - onehot) · gradScale into it.
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
  /** How many of the first `length` values are ±Infinity or NaN. */
  countNonFinite(x: FloatArray, length: number): number;
  /**
   * One optimizer step on the first `length` values of a parameter: updates
   * `value` and `slots` (in the rule's order) from `grad`. With `previous`
   * (arrays for the value, then each slot), first copies what it
   * overwrites there, so the step can be undone. Returns how many new
   * values are ±Infinity or NaN.
   */
  update(
    rule: UpdateRule,
    value: FloatArray,
    grad: FloatArray,
    slots: readonly FloatArray[],
    length: number,
    previous?: readonly FloatArray[],
  ): number;
}
