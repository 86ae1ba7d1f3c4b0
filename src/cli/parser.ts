import yargs from 'yargs';
import { evalCommand } from './eval-command.js';
import { exportCommand } from './export-command.js';
import { gradcheckCommand } from './gradcheck-command.js';
import { inspectCommand } from './inspect-command.js';
import { plotCommand } from './plot-command.js';
import { predictCommand } from './predict-command.js';
import { runsCommand } from './runs-command.js';
import { sweepCommand } from './sweep-command.js';
import { trainCommand } from './train-command.js';
import { UsageError } from './usage-error.js';
import { asFailedCommandUsage, explainUsageError } from './usage-hints.js';

import { RXNN_VERSION as version } from './build-info.js';

/** The rxnn command line, apart from the bin entry so tests can drive it. */
export function createParser(args: readonly string[]) {
  return yargs([...args])
    .scriptName('rxnn')
    .usage('rxnn: a neural-network trainer built as an RxJS dataflow\n\nUsage: $0 <command> [flags]')
    .command(trainCommand(args))
    .command(evalCommand)
    .command(predictCommand)
    .command(gradcheckCommand)
    .command(inspectCommand)
    .command(plotCommand)
    .command(runsCommand)
    .command(exportCommand)
    .command(sweepCommand(createParser))
    .demandCommand(1, 'name a command (rxnn train), or see rxnn --help')
    .recommendCommands()
    .strict()
    .version(version)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined, usage: unknown) => {
      // yargs reports its own parse errors, and errors thrown by our flag parsers, as YError.
      if (error === undefined || error.name === 'YError') throw new UsageError(explainUsageError(message ?? error?.message ?? 'invalid command line', args, asFailedCommandUsage(usage)));
      throw error;
    });
}
