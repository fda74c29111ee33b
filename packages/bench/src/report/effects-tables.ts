import type { BenchResults } from '../aggregate/bench-results.js';
import { differenceRange, metricRange } from './metric-range.js';
import { methodEffects } from './method-effects.js';
import { differenceCell, metricLabel, SIGNIFICANCE, type Cell, type TableModel } from './report-tables.js';

/** The metrics the effect tables show, when the runs have them (the tables grow one row per method pair). */
const EFFECT_METRICS = ['top1', 'bestVal.top1', 'nll', 'ece', 'brier', 'aurc'];

/**
 * For a bench of methods and their pairs: each method's effect alone and added to each other
 * method (rows) on each metric (columns), and each pair's interaction. Empty without pairs.
 */
export function effectsTables(results: BenchResults): TableModel[] {
  const metrics = EFFECT_METRICS.filter((m) => results.metrics.some((r) => r.name === m));
  const model = methodEffects(results, metrics);
  if (model === null) return [];
  const { baseline } = model;
  const rows = model.methods.flatMap((method) => [null, ...model.methods.filter((m) => m !== method)].map((addedTo) => ({ method, addedTo })));
  const effectRows = rows.filter(({ method, addedTo }) => model.effects.some((e) => e.method === method && e.addedTo === addedTo));
  const pairs = [...new Map(model.interactions.map((i) => [i.combination, i.methods])).entries()];
  const header = (first: string): string[] => [first, ...metrics.map((m) => metricLabel(results, m).text)];
  const effects: TableModel = {
    id: 'effects',
    title: 'Effect of each method, alone and added to another (paired by seed)',
    note:
      `Each method alone: (method − ${baseline}); added to another: (method+other − other), the runs of one seed paired. ` +
      `Mean ± standard deviation over the seeds every term finished and the p-value of a paired t-test (two-sided, n−1 degrees of freedom); ` +
      `second line: the 95 % interval of the mean. Bold: p < ${SIGNIFICANCE}; the HTML report colours better green, worse red.`,
    header: header('method'),
    rows: effectRows.map(({ method, addedTo }) => [
      { text: addedTo === null ? `${method} alone` : `${method} added to ${addedTo}` },
      ...metrics.map((metric): Cell => {
        const found = model.effects.find((e) => e.metric === metric && e.method === method && e.addedTo === addedTo);
        return found ? differenceCell(results, metric, found.effect, { combination: method, 'added-to': addedTo ?? baseline }) : { text: '–' };
      }),
    ]),
  };
  const interactions: TableModel = {
    id: 'interactions',
    title: 'Interaction of each pair of methods (paired by seed)',
    note:
      `For A+B: (A+B − B) − (A − ${baseline}), per seed, which is also (A+B − A) − (B − ${baseline}): 0 when the two effects add up, ` +
      `positive when together they raise the metric more than the sum of their effects alone. Mean ± standard deviation, p of a paired t-test; second line: the 95 % interval. Bold: p < ${SIGNIFICANCE}.`,
    header: header('pair'),
    rows: pairs.map(([combination, [a, b]]) => [
      { text: combination },
      ...metrics.map((metric): Cell => {
        const found = model.interactions.find((i) => i.metric === metric && i.combination === combination);
        // A difference of two differences spans twice a difference's range.
        return found ? differenceCell(results, metric, found.interaction, { combination, methods: `${a} ${b}` }, differenceRange(differenceRange(metricRange(metric)))) : { text: '–' };
      }),
    ]),
  };
  return [effects, interactions];
}
