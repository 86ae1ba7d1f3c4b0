/**
 * The import rules of rxnn (run by test/architecture.test.ts): the parts of
 * the code, what must never point where, no cycles, and the neutral core.
 */
const part = {
  core: '^src/core/',
  sources: '^src/sources/',
  operators: '^src/operators/',
  model: '^src/model/',
  kernels: '^src/model/kernels/',
  sinks: '^src/sinks/',
  formats: '^src/formats/',
  run: '^src/run/',
  report: '^src/report/',
  cli: '^src/cli/',
};

/** [from, to, why]: imports that must never exist. */
const never = [
  ['model', 'sources', 'the model knows batches, not files'],
  ['model', 'sinks', 'the model does not write files'],
  ['model', 'operators', 'the stream protocol lives in the neutral core'],
  ['operators', 'model', 'data operators know nothing of networks'],
  ['operators', 'kernels', 'normalize takes an allocator, not kernels'],
  ['sources', 'sinks', 'atomic writes live in the neutral core'],
  ['model', 'formats', 'the model knows tensors, not file formats'],
  ['report', 'run', 'reports read files through the one row schema'],
  ['sources', 'cli', 'the library knows no command line'],
  ['model', 'cli', 'the library knows no command line'],
  ['sinks', 'cli', 'the library knows no command line'],
  ['operators', 'cli', 'the library knows no command line'],
  ['run', 'cli', 'the library knows no command line'],
];

const rule = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    ...never.map(([from, to, why]) => rule(`${from}-not-to-${to}`, why, { path: part[from] }, { path: part[to] })),
    rule('kernels-not-to-model', 'kernels are leaves: they know arrays, not layers', { path: part.kernels }, { path: part.model, pathNot: part.kernels }),
    rule('kernels-only-to-core', 'kernels import only the core', { path: part.kernels }, { path: '^src/', pathNot: [part.kernels, part.core] }),
    rule('core-only-to-core', 'the core is neutral: everything may use it, it uses nothing of src', { path: part.core }, { path: '^src/', pathNot: part.core }),
    rule('no-circular', 'imports point one way', {}, { circular: true }),
    rule('no-unresolvable', 'every relative import names a file that exists', {}, { couldNotResolve: true, path: '^[.]' }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]d[.]ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
