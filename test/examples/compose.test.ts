// The README's "Compose your own pipeline" example, kept running here.
import { expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import {
  buildNetwork, evaluateEpochs, loadDataset, minibatch, mlpSpec, normalize,
  repeatEpochs, samples, Sgd, shuffle, trainSteps,
} from 'rxnn';
import { writeMnistSlice } from '../helpers/mnist-slice.js';

it('trains through a hand-composed pipeline, as the README shows', async () => {
  const slice = await writeMnistSlice(1000, 200);
  const files = {
    train: { images: slice.trainImages, labels: slice.trainLabels },
    test: { images: slice.testImages, labels: slice.testLabels },
  };
  // --- README example starts
  const train = await loadDataset(files.train, { classes: 10 });
  const test = await loadDataset(files.test, { classes: 10 });
  const network = buildNetwork(mlpSpec(train.inputSize, [32], 10), { initStd: 0.1, seed: 1 });
  const sgd = new Sgd(0.5);
  const batches = (set: typeof train) => samples(set).pipe(minibatch({ size: 500 }), normalize());

  const events = samples(train).pipe(
    repeatEpochs(5),                         // one pass per epoch, each closed by an EpochEnd marker
    shuffle({ seed: 1 }),                    // a fresh permutation every epoch
    minibatch({ size: 20 }),
    normalize({ scale: 1 / 255, offset: 0 }),
    trainSteps(network, sgd),                // forward, backward, update: one StepResult per batch
    evaluateEpochs({ network, optimizer: sgd, train: batches(train), test: batches(test), clock: () => 0 }),
  );
  const reports = (await lastValueFrom(events.pipe(toArray()))).filter((e) => e.kind === 'epoch');
  // --- README example ends
  expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
  expect(reports.at(-1)!.iteration).toBe(250);
  expect(reports.at(-1)!.testAccuracy).toBeGreaterThan(0.75);
});
