import { InputError, Stopped } from '../core/errors.js';
import { OutputClosed } from './output.js';
import { runParser } from './parser.js';
import { expandConfig, inConfigFile, type ConfigExpansion } from './train-config.js';
import { SIGNAL_EXIT } from './stop-signals.js';
import { CommandFailed, describeInputError } from './usage-error.js';

/** Runs the command line; resolves to the exit status (0 ok, 2 bad input, 1 unexpected failure). */
export async function runCli(typed: readonly string[]): Promise<number> {
  let expansion: ConfigExpansion | undefined;
  const report = (message: string, status: number): number => reportLine(inConfigFile(oneLine(message), expansion), status);
  try {
    expansion = await expandConfig(typed);
    await runParser(expansion.args);
    return 0;
  } catch (error) {
    if (error instanceof OutputClosed) return 0;
    if (error instanceof CommandFailed) return report(error.message, error.status);
    if (error instanceof Stopped) return report(error.message, SIGNAL_EXIT[error.reason as keyof typeof SIGNAL_EXIT] ?? 130);
    if (error instanceof InputError) return report(describeInputError(error), 2);
    const message = error instanceof Error ? error.message : String(error);
    report(`unexpected error: ${message}`, 1);
    if (process.env['RXNN_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

function reportLine(line: string, status: number): number {
  // A message about one command names it itself ("rxnn eval: missing CHECKPOINT").
  process.stderr.write(line.startsWith('rxnn ') ? `${line}\n` : `rxnn: ${line}\n`);
  return status;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
