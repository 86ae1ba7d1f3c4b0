import { InputError } from '../errors.js';
import { createParser } from './parser.js';
import { CommandFailed, describeInputError } from './usage-error.js';

/** Runs the command line; resolves to the exit status (0 ok, 2 bad input, 1 unexpected failure). */
export async function runCli(args: readonly string[]): Promise<number> {
  try {
    await createParser(args).parseAsync();
    return 0;
  } catch (error) {
    if (error instanceof CommandFailed) {
      process.stderr.write(`rxnn: ${oneLine(error.message)}\n`);
      return error.status;
    }
    if (error instanceof InputError) {
      process.stderr.write(`rxnn: ${oneLine(describeInputError(error))}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`rxnn: unexpected error: ${oneLine(message)}\n`);
    if (process.env['RXNN_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
