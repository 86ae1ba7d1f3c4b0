import { basename } from 'node:path';
import { InputError } from '../core/errors.js';

/** Where an input file lives: a local path or an http(s) URL. */
export type Location = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: URL };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * "data/x.gz" is a path, "https://host/x.gz" a URL; any other scheme is
 * refused, and so is a URL with a user name or password (rxnn would have to
 * keep it in run.json and the cache's names): the message shows it masked.
 */
export function parseLocation(text: string): Location {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', path: text };
  const shown = maskCredentials(text);
  if (scheme !== 'http' && scheme !== 'https') {
    throw new InputError(`${shown}: only http:// and https:// URLs are supported, not ${scheme}://`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${shown}: not a valid URL`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError(`${shown}: URLs with a user name or password are not supported (they would be stored in run.json); serve the file without them`);
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new InputError(`${shown}: not a valid URL: a percent-escape in its path is not UTF-8 (%XX with hex digits)`);
  }
  return { kind: 'url', url };
}

/** The text with the user name and password of a URL in it replaced by ***. */
export function maskCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/** The file name at the end of a path or of a URL's path: what checksum lists name. */
export function locationBaseName(location: Location): string {
  return location.kind === 'file' ? basename(location.path) : basename(decodeURIComponent(location.url.pathname));
}
