// Runs the rxnn command line in this process, then reports on stderr this process's peak RSS
// ("bench: peak_rss_mb N") and, for `train --out DIR`, its RSS just after each epoch's row reached
// DIR/epochs.csv ("bench: rss_mb_by_epoch [..]"), to check that memory stays flat.
// Usage: node bench/cli-run.mjs ARGS...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../dist/cli/run-cli.js';
import { peakRssMb } from './peak-rss.mjs';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const rssByEpoch = [];
// training turns the event loop every 50 ms, so this looks often enough to catch each epoch's row
const watch = out === undefined ? undefined : setInterval(() => {
  let rows = 0;
  try {
    rows = readFileSync(join(out, 'epochs.csv'), 'utf8').trimEnd().split('\n').length - 1;
  } catch {
    return;
  }
  while (rssByEpoch.length < rows) rssByEpoch.push(Math.round(process.memoryUsage().rss / 1048576));
}, 20);
const status = await runCli(args);
if (watch !== undefined) clearInterval(watch);
process.stderr.write(`bench: peak_rss_mb ${peakRssMb().toFixed(1)}\n`);
if (out !== undefined) process.stderr.write(`bench: rss_mb_by_epoch ${JSON.stringify(rssByEpoch)}\n`);
process.exitCode = status;
