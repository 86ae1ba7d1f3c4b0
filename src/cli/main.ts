#!/usr/bin/env -S node --max-semi-space-size=2
// A 2 MB young generation (V8 grows it to 16 MB by default) keeps a run's memory flat over its
// epochs: the default's growth alone is 25 MB, a seventh of the lesson's peak, and the smaller one
// costs no measurable time (8 paired lesson runs, 2026-12-03: wall-time ratio 0.99).
import { hideBin } from 'yargs/helpers';
import { guardStandardStreams } from './output.js';
import { runCli } from './run-cli.js';

guardStandardStreams();
process.exitCode = await runCli(hideBin(process.argv));
