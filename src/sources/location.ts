import { basename } from 'node:path';
import { InputError } from '../errors.js';

/** Where an input file lives: a local path or an http(s) URL. */
export type Location = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: URL };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** "data/x.gz" is a path, "https://host/x.gz" a URL; any other scheme is refused. */
export function parseLocation(text: string): Location {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', path: text };
  if (scheme !== 'http' && scheme !== 'https') {
    throw new InputError(`${text}: only http:// and https:// URLs are supported, not ${scheme}://`);
  }
  try {
    return { kind: 'url', url: new URL(text) };
  } catch {
    throw new InputError(`${text}: not a valid URL`);
  }
}

/** The file name at the end of a path or of a URL's path: what checksum lists name. */
export function locationBaseName(location: Location): string {
  return location.kind === 'file' ? basename(location.path) : basename(decodeURIComponent(location.url.pathname));
}
