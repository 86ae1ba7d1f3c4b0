/** A plain Uint8Array view of a chunk: Buffer's slice() does not copy, Uint8Array's does. */
export function bytesOf(chunk: Uint8Array): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The pieces one after another, in a new array (or the one piece that is not empty, as it is). */
export function joinBytes(pieces: readonly Uint8Array[]): Uint8Array {
  const nonEmpty = pieces.filter((piece) => piece.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new Uint8Array(nonEmpty.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of nonEmpty) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
