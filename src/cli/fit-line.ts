/** A piece of a status line; fields with a larger `drop` go first when the line is too wide. */
export interface LineField {
  readonly text: string;
  readonly drop: number;
}

/**
 * Joins the fields with `gap`, leaving out the least important ones until
 * the line is at most `width` characters; cut at `width` if even the last
 * field left is too wide. Without a width (not a terminal) the whole line.
 */
export function fitLine(fields: readonly LineField[], width: number | undefined, gap = '  '): string {
  if (width === undefined) return fields.map((f) => f.text).join(gap);
  let kept = [...fields];
  let line = kept.map((f) => f.text).join(gap);
  while (line.length > width && kept.length > 1) {
    const most = Math.max(...kept.map((f) => f.drop));
    const at = kept.map((f) => f.drop).lastIndexOf(most);
    kept = kept.filter((_, i) => i !== at);
    line = kept.map((f) => f.text).join(gap);
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

/**
 * Breaks `text` at spaces into lines of at most `width` characters, the
 * lines after the first indented by `indent`; a word wider than a line is
 * cut. Without a width (not a terminal) the text as it is, on one line.
 */
export function wrapLine(text: string, width: number | undefined, indent = '  '): string[] {
  if (width === undefined || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? `${lines.length === 0 ? '' : indent}${word}`.slice(0, width) : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
