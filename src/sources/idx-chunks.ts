import { joinBytes } from '../core/bytes.js';
import { InputError } from '../core/errors.js';
import { checkIdxSize, idxHeaderLength, parseIdxHeader, type IdxHeader } from './idx-format.js';

/** What to do with an IDX file's data, decided once its header is known. */
export interface IdxConsumer<R> {
  /**
   * The next raw (big-endian) data bytes, in order. The view is only valid
   * during the call (until its promise settles): copy what you keep. Return
   * false to stop reading; a promise holds the reading back until it settles.
   */
  data(bytes: Uint8Array): boolean | void | Promise<boolean | void>;
  /** All the data has arrived, exactly as much as the header promised. */
  end(): R;
}

/** What a consumer factory knows about the input besides its header. */
export interface IdxContext {
  /** The path or URL as given, for messages. */
  readonly name: string;
  /** The total size was known in advance and matches the header (a plain file on disk). */
  readonly sizeChecked: boolean;
  /** The input can be read again from its start (a file; not a pipe). */
  readonly rereadable: boolean;
}

/** Chooses a consumer for a file once its header is known. */
export type IdxConsumerFactory<R> = (header: IdxHeader, context: IdxContext) => IdxConsumer<R>;

export interface ReadIdxChunksOptions {
  /** The total size when known in advance (a plain file on disk): checked against the header before any data is read. */
  readonly size?: number;
  /** Appended to size messages, e.g. " after gunzip". */
  readonly after?: string;
  /** Whether the input can be read again (default true); told to the consumer factory. */
  readonly rereadable?: boolean;
}

/**
 * Parses an IDX file arriving as chunks: the header as soon as its bytes are
 * in, then the data handed to the consumer piece by piece. Resolves to
 * `{ result }` once all the data has arrived, or to undefined if the
 * consumer stopped early. A stream shorter or longer than the header
 * promises is an InputError naming `name`.
 */
export async function readIdxChunks<R>(
  chunks: AsyncIterable<Uint8Array>,
  name: string,
  consume: IdxConsumerFactory<R>,
  options: ReadIdxChunksOptions = {},
): Promise<{ readonly result: R } | undefined> {
  const after = options.after ?? '';
  let head: Uint8Array = new Uint8Array(0);
  let header: IdxHeader | undefined;
  let consumer: IdxConsumer<R> | undefined;
  let received = 0;
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (header === undefined) {
      head = joinBytes([head, chunk]);
      const length = idxHeaderLength(head, name);
      if (length === undefined || head.length < length) continue;
      header = parseIdxHeader(head.subarray(0, length), name, options.size);
      consumer = consume(header, { name, sizeChecked: options.size !== undefined, rereadable: options.rereadable ?? true });
      bytes = head.subarray(length);
      head = new Uint8Array(0);
    }
    if (bytes.length === 0) continue;
    if (received + bytes.length > header.dataBytes) {
      throw new InputError(
        `${name}: size does not match header: ${header.dims.join('x')} ${header.type} values need ` +
          `${header.headerBytes + header.dataBytes} bytes in all but the file has more${after}`,
      );
    }
    received += bytes.length;
    const more = consumer!.data(bytes);
    if ((more instanceof Promise ? await more : more) === false) return undefined;
  }
  if (header === undefined) {
    parseIdxHeader(head, name, head.length); // throws: the stream ended inside the header
    throw new InputError(`${name}: truncated inside the header`);
  }
  checkIdxSize(header, header.headerBytes + received, name, after);
  return { result: consumer!.end() };
}
