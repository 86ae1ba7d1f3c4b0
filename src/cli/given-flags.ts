/**
 * The flags typed on a command line, as yargs' camelCase keys
 * (`--batch-size 5` and `--no-stream` give batchSize and stream); yargs
 * itself does not tell a typed value from a default.
 */
export function givenFlags(args: readonly string[]): Set<string> {
  const given = new Set<string>();
  for (const arg of args) {
    if (arg === '--') break;
    const match = /^--(?:no-)?([a-z0-9][a-z0-9-]*)(?:=|$)/i.exec(arg);
    if (match !== null) given.add(match[1]!.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
  }
  return given;
}
