import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRow, StepRow } from '../../src/core/metric-rows.js';
import { figureSpec, type AxisOptions, type ChartName, type NamedRun } from '../../src/report/chart-specs.js';
import type { PlottedEpochRow } from '../../src/report/run-metrics.js';

const epoch = (n: number, acc: number, extra: Partial<PlottedEpochRow> = {}): PlottedEpochRow =>
  ({ epoch: n, iteration: n * 10, train_loss: 1 / n, train_acc: acc, test_loss: 1.1 / n, test_acc: acc - 0.01, lr: 0.1, seconds: 2 * n, ...extra }) as EpochRow;
const steps = (count: number): StepRow[] => Array.from({ length: count }, (_, i) => ({ epoch: Math.floor(i / 10) + 1, iteration: i + 1, loss: 2 / (i + 1) }));
const run = (name: string, epochs: readonly PlottedEpochRow[], batchSize?: number): NamedRun => ({ name, batchSize, metrics: { dir: name, epochs, steps: steps(epochs.length * 10) } });

const lesson = run('lesson', [0.76, 0.88, 0.9, 0.92, 0.93, 0.94, 0.95, 0.95, 0.96, 0.97].map((acc, i) => epoch(i + 1, acc)));
const short = run('short', [epoch(1, 0.9), epoch(2, 0.95), epoch(3, 0.99)]);

/** The figure run through Vega: each panel's scale domains, the legends, the points of each mark. */
async function view(charts: ChartName[], runs: NamedRun[], axes: AxisOptions = {}): Promise<View> {
  const v = new View(parse(compile(figureSpec(charts, runs, 5, axes) as TopLevelSpec).spec), { renderer: 'none' });
  await v.runAsync();
  return v;
}
const domain = (v: View, scale: string): number[] => (v.scale(scale) as unknown as { domain(): number[] }).domain();

describe('chart specs', () => {
  it('draw x over exactly the data (no padding to 0 or a round number), for every x choice', async () => {
    expect(domain(await view(['accuracy'], [short]), 'x')).toEqual([1, 3]);
    expect(domain(await view(['loss'], [short]), 'x')).toEqual([1, 30]);
    expect(domain(await view(['loss'], [short], { x: 'epoch' }), 'x')).toEqual([0.1, 3]);
    expect(domain(await view(['accuracy'], [short, lesson], { x: 'iteration' }), 'x')).toEqual([10, 100]);
    expect(domain(await view(['accuracy'], [run('b', short.metrics.epochs, 20)], { x: 'samples' }), 'x')).toEqual([200, 600]);
    expect(domain(await view(['epoch-loss'], [short], { x: 'seconds' }), 'x')).toEqual([2, 6]);
  });

  it('zoom accuracy by default to where most of it is, up to 1, and say what it cuts off; --y-range and --log-y as asked', async () => {
    const zoomed = await view(['accuracy'], [lesson]);
    expect(domain(zoomed, 'y')).toEqual([0.85, 1]);
    expect(JSON.stringify(figureSpec(['accuracy'], [lesson], 5))).toContain('y axis from 0.85: lower points are cut off');
    expect(domain(await view(['accuracy'], [lesson], { yRange: [0.9, 0.98] }), 'y')).toEqual([0.9, 0.98]);
    const log = await view(['loss'], [short], { logY: true });
    expect((log.scale('y') as unknown as { type: string }).type).toBe('log');
    expect(domain(log, 'y')).toEqual([2 / 30, 2]); // the data's extent, not rounded out to 0.01..10
  });

  it('give every panel of a stacked figure its own run legend, the runs in the same colours', async () => {
    const spec = figureSpec(['loss', 'accuracy', 'epoch-loss'], [short, lesson], 5) as { vconcat: { encoding: { color: { scale: { domain: string[] } } } }[] };
    expect(spec.vconcat.map((panel) => panel.encoding.color.scale.domain)).toEqual([['short', 'lesson'], ['short', 'lesson'], ['short', 'lesson']]);
    const svg = await (await view(['loss', 'accuracy', 'epoch-loss'], [short, lesson])).toSVG();
    expect(svg.match(/>lesson<\/text>/g)).toHaveLength(3);
    expect(svg.match(/>short<\/text>/g)).toHaveLength(3);
  });

  it('show validation beside train and test when the run has it, and leave it out of the legend otherwise', async () => {
    const withValidation = run('v', [epoch(1, 0.9, { val_acc: 0.89, val_loss: 0.5 }), epoch(2, 0.95, { val_acc: 0.93, val_loss: 0.3 })]);
    const svg = await (await view(['accuracy', 'epoch-loss'], [withValidation, short])).toSVG();
    expect(svg.match(/>validation<\/text>/g)).toHaveLength(2);
    const data = (figureSpec(['accuracy'], [withValidation], 5) as { data: { values: { series: string; y: number }[] } }).data.values;
    expect(data.filter((p) => p.series === 'validation').map((p) => p.y)).toEqual([0.89, 0.93]);
    expect(await (await view(['accuracy'], [short])).toSVG()).not.toContain('>validation<');
    expect(svg).toContain('>Loss per epoch (train: mean step loss; validation and test: full set)</text>');
    expect(await (await view(['epoch-loss'], [short])).toSVG()).toContain('>Loss per epoch (train: mean step loss; test: full set)</text>');
  });
});
