import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export { RXNN_VERSION } from '../core/rxnn-version.js';

/** The git commit rxnn runs from, when it runs from a git checkout (read from .git, no git needed). */
export async function gitCommit(root: string = packageRoot): Promise<string | undefined> {
  const read = (path: string): Promise<string | undefined> => readFile(`${root}.git/${path}`, 'utf8').then((t) => t.trim(), () => undefined);
  const head = await read('HEAD');
  if (head === undefined) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (ref === undefined) return undefined;
  const loose = await read(ref);
  if (loose !== undefined) return loose;
  const packed = await read('packed-refs');
  return packed?.split('\n').find((line) => line.endsWith(` ${ref}`))?.slice(0, 40);
}
