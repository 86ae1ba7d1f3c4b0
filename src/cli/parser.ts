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
import { addPlaceholders, placeholderRoom } from './flag-placeholders.js';
import { writeOut } from './output.js';
import { UsageError } from './usage-error.js';
import { asFailedCommandUsage, explainUsageError } from './usage-hints.js';

import { RXNN_VERSION as version } from './build-info.js';

/**
 * Parses and runs the command line. What yargs prints itself (help, the
 * version) is written to stdout here, the help with each flag's placeholder.
 */
export async function runParser(args: readonly string[]): Promise<void> {
  let printed = await parseCapturing(createParser(args), args);
  const room = placeholderRoom(printed);
  // Help only: drawn again, narrower by what the placeholders add, so that no line grows past the width.
  if (room > 0) printed = await parseCapturing(createParser(args, room), args);
  if (printed !== '') await writeOut(`${addPlaceholders(printed)}\n`);
}

async function parseCapturing(parser: ReturnType<typeof createParser>, args: readonly string[]): Promise<string> {
  let printed = '';
  await parser.parseAsync([...args], {}, (_error: unknown, _argv: unknown, output: string) => {
    printed = output;
  });
  return printed;
}

/** The rxnn command line, apart from the bin entry so tests can drive it. */
export function createParser(args: readonly string[], helpRoom = 0) {
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
    .wrap(Math.min(110, process.stdout.columns ?? 110) - helpRoom)
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined, usage: unknown) => {
      // yargs reports its own parse errors, and errors thrown by our flag parsers, as YError.
      if (error === undefined || error.name === 'YError') throw new UsageError(explainUsageError(message ?? error?.message ?? 'invalid command line', args, asFailedCommandUsage(usage)));
      throw error;
    });
}
