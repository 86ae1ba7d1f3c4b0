import { InputError } from '../core/errors.js';
import { buildNetwork } from '../model/build-network.js';
import type { Kernels } from '../model/kernels/kernels.js';
import { tsKernels } from '../model/kernels/ts-kernels.js';
import type { ModelSpec } from '../model/model-spec.js';
import type { Network } from '../model/network.js';
import { createOptimizer } from '../model/optimizers/create-optimizer.js';
import type { Optimizer } from '../model/optimizers/optimizer.js';
import { checkResumePoint, runMismatch } from './check-resume-point.js';
import { modelSpecOf } from './model-spec-of.js';
import type { ResumePoint } from './resume-point.js';
import type { TrainSettings } from './settings.js';
import { restoreTrainingState } from './training-state.js';

/** What a run trains: the network and optimizer its settings describe, put in a checkpoint's state when it continues from one. */
export interface RunModel {
  readonly spec: ModelSpec;
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly kernels: Kernels;
  readonly stepsPerEpoch: number;
}

export function runModel(settings: TrainSettings, samples: { readonly count: number; readonly inputSize: number; readonly shape?: readonly number[] }, resume: ResumePoint | undefined, given?: Kernels): RunModel {
  const spec = modelSpecOf(settings, samples);
  const { init } = settings.model;
  const network = buildNetwork(spec, { init, seed: settings.run.seed, weightDecay: settings.optimizer.weightDecay, kernels: given });
  const optimizer = createOptimizer(settings.optimizer, given);
  const stepsPerEpoch = Math.ceil(samples.count / settings.data.batchSize);
  const kernels = given ?? tsKernels;
  if (resume !== undefined) {
    checkResumePoint(resume, { spec, optimizer: settings.optimizer.name, stepsPerEpoch });
    const mismatch = runMismatch(resume, spec, settings, kernels);
    if (mismatch !== undefined) {
      throw new InputError(`${resume.name}: trained with ${mismatch.field} ${mismatch.checkpoint}, but this run has ${mismatch.run}`);
    }
    restoreTrainingState(network, optimizer, resume.file, resume.state, resume.name);
  }
  return { spec, network, optimizer, kernels, stepsPerEpoch };
}
