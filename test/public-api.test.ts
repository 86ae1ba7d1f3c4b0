import { fileURLToPath } from 'node:url';
import type { OperatorFunction } from 'rxjs';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Rxnn from 'rxnn';

/**
 * What each entry point of the package publishes: its values and its
 * type-only names. `rxnn` publishes what the others do and, besides, what
 * is listed under it. Adding or removing a name is a decision: change it here.
 */
const PUBLISHED: Record<string, { readonly values: readonly string[]; readonly types: readonly string[] }> = {
  rxnn: {
    values: [
      'BEST_CHECKPOINT', 'BEST_SETTINGS', 'CHECKPOINTS_DIR', 'checkTrainSettings', 'CNN_LAYERS', 'CNN_SETTINGS', 'EPOCHS_CSV', 'FileError',
      'findResumePoint', 'flatOverrides', 'InputError', 'layOver', 'learningRateSchedule', 'LESSON_SETTINGS', 'loadCheckpoint',
      'lockRunFolder', 'metricCsvSink', 'normalizationFor', 'parseModelMetadata', 'plainAllocator', 'PRESETS',
      'presetSettings', 'Random', 'RandomStream', 'readManifest', 'RUN_JSON', 'RunFolderBusy', 'RunLedger',
      'runSinks', 'SAMPLERS', 'SettingError', 'STEPS_CSV', 'Stopped', 'trainRun', 'parseEarlyStop',
    ],
    types: [
      'Allocator', 'CountedRecords', 'DataSettings', 'FlatOverrides', 'LoadCheckpointOptions', 'LoadedCheckpoint',
      'LockHolder', 'ModelSettings', 'OptimizerSettings', 'Pending', 'PresetName', 'ResumePoint', 'RunDirectory',
      'RunEvent', 'RunLock', 'RunManifest', 'RunSettings', 'RunSink', 'RunStatus', 'RunStep', 'RunStopped', 'Sampler',
      'ScheduleSettings', 'SettingOverrides', 'SparseMatrix', 'StoredRunManifest', 'TrainRunOptions', 'TrainSettings',
      'EarlyStop', 'LedgerRules', 'RunEarlyStopped',
    ],
  },
  'rxnn/sources': {
    values: [
      'bundledMnist', 'DEFAULT_MEMORY_BUDGET', 'defaultCacheDir', 'DownloadError', 'encodeIdx', 'inspectIdx',
      'loadDataset', 'MAX_CLASSES', 'pairDataset', 'readIdx', 'readIdxFile', 'samples', 'StoredSample',
      'parseValidationSize', 'splitValidation', 'validationCount',
    ],
    types: [
      'Dataset', 'DatasetFiles', 'DatasetShape', 'DownloadEvent', 'HttpOptions', 'IdxData', 'IdxHeader', 'IdxInspection',
      'IdxTensor', 'IdxTypeName', 'InMemoryDataset', 'LabelArray', 'LoadDatasetOptions', 'MnistFiles', 'Sample',
      'SourceOptions', 'StreamedDataset', 'ValidationSplit',
    ],
  },
  'rxnn/operators': {
    values: [
      'augment', 'bufferEpochs', 'concatEach', 'EpochEnd', 'isEpochEnd', 'mapItems', 'minibatch', 'normalize', 'prepareAhead',
      'reorderEachEpoch', 'repeatEpochs', 'sampleWithReplacement', 'shuffle', 'shuffleBuffer', 'transformImage',
      'UNIT_RANGE', 'yieldToEventLoop', 'holdOut',
    ],
    types: [
      'AugmentOptions', 'AugmentRanges', 'EpochBuffer', 'ImageTransform', 'MinibatchOptions', 'Normalization', 'NormalizeOptions', 'Prepared', 'ShuffleBufferOptions',
      'YieldOptions',
    ],
  },
  'rxnn/model': {
    values: [
      'activationFunctionOf', 'activationKind', 'ActivationLayer', 'AdaGrad', 'Adam', 'argmaxRows', 'AvgPool2d',
      'avgPoolKind', 'BACKENDS', 'BatchNorm', 'batchNormKind', 'buildNetwork', 'checkLrSchedule', 'checkModelSize',
      'checkModelSpec', 'checkNetworkGradients', 'Conv2d', 'conv2dKind', 'createOptimizer', 'createWasmKernels', 'DEFAULT_BATCH_NORM', 'DEFAULT_LEAKY_SLOPE',
      'defaultInitFor', 'Dense', 'denseKind', 'Dropout', 'dropoutKind', 'evaluate', 'evaluateClasses',
      'evaluateEpochs', 'Flatten', 'flattenKind', 'formatInitSpec', 'formatLayers', 'formatLrSchedule', 'HIDDEN_ACTIVATIONS',
      'hiddenLayers', 'imageShape', 'kernelsFor', 'LAYER_KINDS', 'LayerError', 'layerKindOf', 'learningRateAt', 'loadParameterTensors',
      'MAX_BATCH_VALUES', 'MAX_PARAMETERS', 'MaxPool2d', 'maxPoolKind', 'mlpSpec', 'Momentum', 'Network', 'OPTIMIZER_SLOTS', 'OPTIMIZERS',
      'LAYER_TOKENS', 'Parameter', 'parameterTensors', 'parseInitSpec', 'parseLayers', 'parseLrSchedule', 'parseModelFile', 'placeLayers', 'poolGeometry', 'RelaxedSimdUnavailable',
      'RmsProp', 'sampleShapeOf', 'Sgd', 'shapeSize', 'SIMD_VARIANTS', 'SoftmaxCrossEntropy', 'softmaxRows',
      'SPARSE_MAX_DENSITY', 'StatefulOptimizer', 'TrainingDiverged', 'trainSteps', 'tsKernels', 'vectorWidth', 'windowGeometry',
      'Plateau',
    ],
    types: [
      'ActivationFunction', 'ActivationSpec', 'AvgPoolSpec', 'Backend', 'BackendOptions', 'Batch', 'BatchNormOptions',
      'BatchNormSpec', 'BatchScore', 'BuildContext', 'BuildOptions', 'ClassMetrics', 'Conv2dOptions', 'Conv2dSpec', 'DenseOptions', 'DenseSpec',
      'DivergenceFacts', 'DropoutSpec', 'DType', 'EpochReport', 'EvaluateEpochsOptions', 'FlattenSpec', 'FloatArray',
      'HiddenActivation', 'Initializer', 'InitSpec', 'Kernels', 'Layer', 'LayerKind', 'LayerNames', 'LayerSpec',
      'LayerTensor', 'LayerType', 'LrSchedule', 'MaxPoolSpec', 'Metrics', 'MlpOptions', 'Mode', 'ModelFile', 'ModelSpec', 'NetworkOptions',
      'Optimizer', 'OptimizerName', 'OptimizerSpec', 'OptimizerState', 'ParameterCheck', 'PlacedLayer',
      'ScheduleContext', 'Shape', 'SimdChoice', 'SimdVariant', 'StateTensor', 'StepResult', 'TensorShape',
      'TrainStepsOptions', 'UpdateRule', 'WasmKernelOptions', 'WindowGeometry', 'PlateauSchedule', 'PlateauState', 'ScoredSet',
      'ScoringProgress',
    ],
  },
  'rxnn/sinks': {
    values: [
      'appendCsv', 'appendCsvRows', 'checkpointFileName', 'createCsv', 'decodeSafetensors', 'encodeSafetensors',
      'lastCsvValue', 'listCheckpoints', 'saveCheckpoint', 'truncateCsvRows', 'writeCheckpoints', 'writeFileAtomic',
    ],
    types: [
      'AppendCsvOptions', 'AtomicWriteOptions', 'Checkpoint', 'CheckpointPosition', 'CsvRow', 'NamedTensor',
      'SafetensorsFile', 'SaveCheckpointOptions', 'WriteCheckpointsOptions',
    ],
  },
  'rxnn/report': {
    values: [
      'aggregateOverSeeds', 'CHARTS', 'chartsFor', 'DEFAULT_SMOOTH', 'differingSettings', 'EPOCH_TABLE', 'EPOCHS_CSV',
      'formatMetric', 'formatMetricRow', 'hasSeedRepeats', 'meanStd', 'METRICS', 'metricTable', 'movingAverage',
      'parseMetricRows', 'PLOT_FORMATS', 'PLOTS_DIR', 'readRunMetrics', 'renderSvg', 'runNames', 'STEP_TABLE',
      'STEPS_CSV', 'summarizeRuns', 'svgToPng', 'writePlots',
    ],
    types: [
      'ChartName', 'EpochColumn', 'EpochFigures', 'EpochRow', 'MeanStd', 'MetricChoice', 'MetricRow', 'MetricTable',
      'NamedRun', 'PlotFormat', 'PlotOptions', 'RunMetrics', 'RunSummary', 'SeedGroup', 'StepFigures', 'StepRow',
    ],
  },
  'rxnn/export': {
    values: ['decodeOnnxModel', 'exportOnnx', 'ONNX_INPUT', 'ONNX_OPSET', 'onnxModelOf', 'PROBABILITIES'],
    types: ['ExportableCheckpoint', 'OnnxExportOptions', 'OnnxModel'],
  },
  'rxnn/sweep': {
    values: ['checkSweepSpec', 'FINISHED_STATUSES', 'readSweepSpec', 'SWEEP_JSON', 'sweepTrials', 'trialFlags', 'trialFolder'],
    types: ['RandomChoice', 'SettingValue', 'SweepSpec', 'Trial'],
  },
};

const SUBPATHS = ['rxnn/sources', 'rxnn/operators', 'rxnn/model', 'rxnn/sinks', 'rxnn/report'];
const all = (entry: string): string[] => [entry, ...(entry === 'rxnn' ? SUBPATHS : [])].flatMap((e) => [...PUBLISHED[e]!.values, ...PUBLISHED[e]!.types]);
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** Every name (values and types) the built declaration file of an entry point exports. */
function declaredNames(entries: readonly string[]): Map<string, string[]> {
  const files = entries.map((entry) => fileURLToPath(new URL(`../dist/${entry === 'rxnn' ? '' : `${entry.slice(5)}/`}index.d.ts`, import.meta.url)));
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  return new Map(entries.map((entry, i) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(files[i]!)!)!;
    return [entry, checker.getExportsOfModule(module).map((symbol) => symbol.name)];
  }));
}

describe('the public API', () => {
  const entries = Object.keys(PUBLISHED);

  it.each(entries)('%s exports exactly its listed values', async (entry) => {
    const values = [entry, ...(entry === 'rxnn' ? SUBPATHS : [])].flatMap((e) => PUBLISHED[e]!.values);
    expect(sorted(Object.keys(await import(entry)))).toEqual(sorted(values));
  });

  it('each entry point declares exactly its listed values and types', () => {
    const declared = declaredNames(entries);
    for (const entry of entries) expect(sorted(declared.get(entry)!), entry).toEqual(sorted(all(entry)));
  });

  it('keeps internals out', () => {
    for (const internal of ['partialPath', 'bytesOf', 'openUrl', 'readIdxChunks', 'cachedPath', 'EpochItem', 'Nesterov', 'SampleSet']) {
      expect(all('rxnn'), internal).not.toContain(internal);
    }
  });

  it('gives the types a pipeline is written with', () => {
    expectTypeOf<Rxnn.Batch['sampleShape']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<ReturnType<typeof Rxnn.loadDataset>>().toEqualTypeOf<Promise<Rxnn.Dataset>>();
    expectTypeOf<Rxnn.Kernels>().toExtend<Rxnn.Allocator>();
    expectTypeOf<NonNullable<Rxnn.NormalizeOptions['allocator']>>().toEqualTypeOf<Rxnn.Allocator>();
    expectTypeOf<Rxnn.Sgd>().toExtend<Rxnn.Optimizer>();
    expectTypeOf<ReturnType<typeof Rxnn.normalize>>().toEqualTypeOf<OperatorFunction<readonly Rxnn.Sample[] | Rxnn.EpochEnd, Rxnn.Batch | Rxnn.EpochEnd>>();
  });
});
