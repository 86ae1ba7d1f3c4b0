// Compiles assembly/kernels.ts twice: plain 128-bit SIMD, and relaxed SIMD
// (fused multiply-add), which the kernels loader picks when the engine
// validates it. Both import a shared memory so worker threads can use it.
import { main } from 'assemblyscript/asc';

const common = [
  'assembly/kernels.ts', '-O3', '--runtime', 'stub', '--noAssert',
  '--importMemory', '--sharedMemory', '--initialMemory', '2', '--maximumMemory', '65536',
  '--enable', 'simd', '--enable', 'threads', '--debug',
];
const builds = [
  { out: 'wasm/kernels.wasm', extra: [] },
  { out: 'wasm/kernels-relaxed.wasm', extra: ['--enable', 'relaxed-simd'] },
];
for (const { out, extra } of builds) {
  const { error, stderr } = await main([...common, ...extra, '-o', out]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${out}: ${error.message}`);
    process.exit(1);
  }
}
