export { checkSweepSpec, readSweepSpec, type RandomChoice, type SettingValue, type SweepSpec } from './sweep-spec.js';
export { sweepTrials, trialFlags, type Trial } from './sweep-trials.js';
export { FINISHED_STATUSES, SWEEP_JSON, trialFolder } from './sweep-folder.js';
