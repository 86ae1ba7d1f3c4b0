#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { guardStandardStreams } from './output.js';
import { runCli } from './run-cli.js';

guardStandardStreams();
process.exitCode = await runCli(hideBin(process.argv));
