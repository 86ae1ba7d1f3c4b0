// Runs the rxnn command line in this process, then reports this process's peak RSS on stderr
// as "bench: peak_rss_mb N". Usage: node bench/cli-run.mjs ARGS...
import { runCli } from '../dist/cli/run-cli.js';
import { peakRssMb } from './peak-rss.mjs';

const status = await runCli(process.argv.slice(2));
process.stderr.write(`bench: peak_rss_mb ${peakRssMb().toFixed(1)}\n`);
process.exitCode = status;
