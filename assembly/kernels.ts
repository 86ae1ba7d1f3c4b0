// The WebAssembly kernels: every export takes byte addresses in the shared
// memory and sizes. Functions a host may split across threads take the
// range of rows (or columns, or elements) they write as their last two
// arguments. Built twice (scripts/build-wasm.mjs): plain SIMD, and relaxed
// SIMD (fused multiply-add in the products, a polynomial sigmoid).
export { gemm, dotProducts, GEMM_PACK_BYTES } from './gemm';
export { compress, compressBytes, compressBytesTransposed, countNonZeroBytes, fillBytes, transposeSparse, sparseGemm } from './sparse';
export { biasActivate, activationBackward, sumRows, multiply, axpy, bytesToFloats, gatherBytes, countNonFinite } from './elementwise';
export { softmaxCrossEntropy, countCorrect } from './softmax';
export { columnMoments, batchNormalize, batchNormBackward } from './batch-norm';
export { dropout } from './dropout';
export { im2col, col2im, transposeBlocks, maxPool, maxPoolBackward, avgPool, avgPoolBackward } from './windows';
export { sgdUpdate, momentumUpdate, squaredGradientUpdate, adamUpdate } from './updates';
export { mathExp, mathExpm1, mathTanh, mathLog } from './math-arrays';
