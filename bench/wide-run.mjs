// One epoch of a wide MLP in a process of its own: 784-1024-1024-10 ReLU, He init, Adam 1e-3,
// batch 128, a shuffled epoch, test accuracy at the end (as bench/wide_numpy.py).
// Prints {"seconds","test_acc","peak_rss_mb"} as one JSON line. Usage: node bench/wide-run.mjs BACKEND [EPOCHS]
import { availableParallelism } from 'node:os';
import { lastValueFrom } from 'rxjs';
import {
  Adam, buildNetwork, SPARSE_MAX_DENSITY, bundledMnist, evaluate, kernelsFor, loadDataset, minibatch, mlpSpec, normalize, repeatEpochs, samples, shuffle, trainSteps,
} from '../dist/index.js';
import { peakRssMb } from './peak-rss.mjs';

const started = performance.now();
const [backend, epochs] = [process.argv[2] ?? 'wasm', Number(process.argv[3] ?? 1)];
const kernels = kernelsFor(backend, { threads: availableParallelism() });
const mnist = bundledMnist();
const loading = { classes: 10, allocate: kernels.allocateBytes };
const [train, test] = await Promise.all([loadDataset(mnist.train, loading), loadDataset(mnist.test, loading)]);
const network = buildNetwork(mlpSpec(784, [1024, 1024], 10, { activation: 'relu' }), { init: { kind: 'he' }, seed: 0, kernels });
const adam = new Adam(1e-3, 0.9, 0.999, 1e-8, kernels);
await lastValueFrom(
  samples(train).pipe(repeatEpochs(epochs), shuffle({ seed: 0 }), minibatch({ size: 128 }), normalize(undefined, { reuse: true, allocator: kernels, sparse: SPARSE_MAX_DENSITY }), trainSteps(network, adam)),
);
const score = await lastValueFrom(evaluate(network, samples(test).pipe(minibatch({ size: 1000 }), normalize(undefined, { reuse: true, allocator: kernels, sparse: SPARSE_MAX_DENSITY }))));
kernels.close();
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, test_acc: score.accuracy, peak_rss_mb: peakRssMb() })}\n`);
