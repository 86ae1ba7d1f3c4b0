/**
 * What follows each flag in `--help`, as the README writes it (`--out DIR`,
 * `--backend wasm|ts`): yargs shows only `--out`. Flags of every command
 * unless the command spells one otherwise; boolean flags take none.
 */
const COMMON: Readonly<Record<string, string>> = {
  // data and fetching
  'train-images': 'SRC',
  'train-labels': 'SRC',
  'test-images': 'SRC',
  'test-labels': 'SRC',
  images: 'SRC',
  labels: 'SRC',
  classes: 'N',
  'memory-budget': 'SIZE',
  'shuffle-buffer': 'N',
  'cache-dir': 'DIR',
  sha256: 'FILE=HEX',
  timeout: 'S',
  retries: 'N',
  validation: 'N|FRACTION',
  'validation-images': 'SRC',
  'validation-labels': 'SRC',
  'augment-shift': 'N',
  'augment-rotate': 'DEG',
  'augment-scale': 'F',
  // training
  preset: 'lesson|best|cnn',
  epochs: 'N',
  'batch-size': 'N',
  'eval-batch-size': 'N',
  seed: 'N',
  sampler: 'permutation|replacement',
  'max-loss': 'X',
  // model and optimizer
  hidden: 'W[,W...]',
  layers: 'L[,L...]',
  model: 'FILE.json',
  'input-shape': 'H,W',
  activation: 'A',
  init: 'I',
  'init-std': 'X',
  dropout: 'P',
  'weight-decay': 'λ',
  optimizer: 'O',
  lr: 'X',
  momentum: 'μ',
  beta1: 'β',
  beta2: 'β',
  eps: 'ε',
  'lr-schedule': 'S',
  warmup: 'N',
  // output
  out: 'DIR',
  resume: 'DIR',
  'keep-checkpoints': 'N',
  'log-json': 'FILE',
  'log-json-steps': 'N',
  'save-best': '[METRIC]',
  'early-stop': 'PATIENCE[:MIN_DELTA]',
  config: 'FILE',
  // compute
  backend: 'wasm|ts',
  simd: 'plain|relaxed|auto',
  threads: 'N',
};

const BY_COMMAND: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  eval: { plot: 'FILE' },
  predict: { top: 'K', format: 'csv|json' },
  gradcheck: { inputs: 'N', rows: 'N', 'per-parameter': 'N', threshold: 'X' },
  plot: { out: 'FILE', format: 'svg|png', metric: 'loss|acc|all', smooth: 'N', 'x-axis': 'iteration|epoch|samples|seconds', 'y-range': 'A:B' },
  export: { out: 'FILE', format: 'onnx' },
  sweep: { parallel: 'N', trial: 'I', sort: 'METRIC' },
};

export function flagPlaceholder(command: string, flag: string): string | undefined {
  return BY_COMMAND[command]?.[flag] ?? COMMON[flag];
}

const GROUP = /^\S.*:$/;
// yargs starts a flag's row 2 spaces in (6 beside a one-letter alias); deeper lines continue a description
const FLAG_ROW = /^( {2}(?:-\w, | {4})?--([a-z0-9-]+))(\s*)/;

/**
 * yargs' help with each flag's placeholder after it. Within a group of flags
 * every row (and its continuation lines) moves right by the group's widest
 * placeholder, so the descriptions stay in one column; the help is drawn
 * `placeholderRoom` narrower, so no line grows past the width asked for.
 * Boolean flags (`[boolean]` among their notes) keep none.
 */
export function addPlaceholders(help: string): string {
  return withPlaceholders(help).text;
}

/** The most characters addPlaceholders adds to a line of `help`: draw the help that much narrower. */
export function placeholderRoom(help: string): number {
  return withPlaceholders(help).room;
}

function withPlaceholders(help: string): { text: string; room: number } {
  const command = /^rxnn (\w+)/.exec(help)?.[1];
  if (command === undefined) return { text: help, room: 0 };
  const lines = help.split('\n');
  const out: string[] = [];
  let room = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!GROUP.test(line) || line === 'Positionals:' || line === 'Examples:') {
      out.push(line);
      continue;
    }
    out.push(line);
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== '') end++;
    const group = groupWithPlaceholders(lines.slice(i + 1, end), command);
    out.push(...group.rows);
    room = Math.max(room, group.shift);
    i = end - 1;
  }
  return { text: out.join('\n'), room };
}

function groupWithPlaceholders(rows: readonly string[], command: string): { rows: string[]; shift: number } {
  // Each flag's rows: its own line and the continuation lines up to the next flag.
  const starts = rows.map((row, i) => (FLAG_ROW.test(row) ? i : -1)).filter((i) => i >= 0);
  const placeholder = (at: number): string | undefined => {
    const flag = FLAG_ROW.exec(rows[at]!)![2]!;
    const next = starts.find((s) => s > at) ?? rows.length;
    const boolean = rows.slice(at, next).some((r) => r.includes('[boolean]'));
    return boolean ? undefined : flagPlaceholder(command, flag);
  };
  const shift = Math.max(0, ...starts.map((s) => (placeholder(s)?.length ?? -1) + 1));
  if (shift === 0) return { rows: [...rows], shift };
  const shifted = rows.map((row, i) => {
    const m = FLAG_ROW.exec(row);
    if (m === null || !starts.includes(i)) return row === '' ? row : ' '.repeat(shift) + row;
    const ph = placeholder(i);
    const head = ph === undefined ? m[1]! : `${m[1]!} ${ph}`;
    const rest = row.slice(m[0].length);
    return rest === '' ? head : `${head.padEnd(m[0].length + shift)}${rest}`;
  });
  return { rows: shifted, shift };
}
