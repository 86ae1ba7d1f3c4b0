import { describe, expect, it } from 'vitest';
import { addPlaceholders, flagPlaceholder, placeholderRoom } from '../../src/cli/flag-placeholders.js';

const HELP = [
  'rxnn plot <dirs..>',
  '',
  'Positionals:',
  '  dirs  run folders',
  '',
  'Options:',
  '      --out      one file holding every chart chosen (default: one file per',
  '                 chart)',
  '      --smooth   steps in the moving average          [default: 50]',
  '      --list     print and run nothing                     [boolean]',
  '  -h, --help     Show help                                 [boolean]',
  '',
].join('\n');

describe('placeholders in --help', () => {
  it('puts each flag\'s placeholder after it and keeps the descriptions in one column', () => {
    const lines = addPlaceholders(HELP).split('\n');
    // The lines before the flags' group, positionals included, are as they were.
    expect(lines.slice(0, 6)).toEqual(HELP.split('\n').slice(0, 6));
    expect(lines.slice(6)).toEqual([
      '      --out FILE      one file holding every chart chosen (default: one file per',
      '                      chart)',
      '      --smooth N      steps in the moving average          [default: 50]',
      '      --list          print and run nothing                     [boolean]',
      '  -h, --help          Show help                                 [boolean]',
      '',
    ]);
    expect(placeholderRoom(HELP)).toBe(' FILE'.length);
  });

  it('leaves help without flags of a command alone', () => {
    const top = 'rxnn: a trainer\n\nOptions:\n      --version  Show version number  [boolean]\n';
    expect(addPlaceholders(top)).toBe(top);
    expect(placeholderRoom(top)).toBe(0);
  });

  it('a command may spell a flag otherwise', () => {
    expect([flagPlaceholder('train', 'out'), flagPlaceholder('plot', 'out'), flagPlaceholder('predict', 'format')]).toEqual(['DIR', 'FILE', 'csv|json']);
  });
});
