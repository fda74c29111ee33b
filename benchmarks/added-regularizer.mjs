#!/usr/bin/env node
// What adding one regularizer does to each method of a bench: for every combination `X` that has
// a partner `X+ADDED` in results.json, the paired difference (X+ADDED − X) by seed of each metric,
// with the paired t-test of @selfkd/bench. Prints a markdown table (metric rows, method columns).
//
//   npx tsc -b
//   node benchmarks/added-regularizer.mjs runs/bench-self-kd-methods/results.json --added sd-dropout [--metrics top1,nll,ece]
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { pairedTTest } from '@selfkd/bench';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const added = option('added', 'sd-dropout');
const metrics = option('metrics', 'top1,nll,ece,brier,fgsm.eps=0.1,pgd,ood.mnist-digits.msp.auroc,ood.uniform-noise.msp.auroc,shift.mean').split(',');
if (args.length !== 1) {
  console.error('usage: node benchmarks/added-regularizer.mjs RESULTS.json [--added TYPE] [--metrics a,b,c]');
  process.exit(2);
}
const results = JSON.parse(readFileSync(args[0], 'utf8'));
const direction = new Map(results.metrics.map((m) => [m.name, m.direction]));
const valuesOf = (combination, metric) => new Map(results.runs.filter((r) => r.combination === combination && r.status === 'done').map((r) => [r.seed, r.metrics[metric]]));
const names = new Set(results.runs.map((r) => r.combination));
const methods = [...names].filter((name) => names.has(`${name}+${added}`));
if (names.has(added)) methods.unshift('baseline');

const partner = (method) => (method === 'baseline' ? added : `${method}+${added}`);
console.log(`| metric | ${methods.map((m) => `${m} → ${partner(m)}`).join(' | ')} |`);
console.log(`|---|${methods.map(() => '---').join('|')}|`);
for (const metric of metrics) {
  const cells = methods.map((method) => {
    const without = valuesOf(method, metric);
    const withAdded = valuesOf(partner(method), metric);
    const seeds = [...without.keys()].filter((s) => Number.isFinite(without.get(s)) && Number.isFinite(withAdded.get(s)));
    const test = pairedTTest(seeds.map((s) => withAdded.get(s)), seeds.map((s) => without.get(s)));
    const mean = test.difference.mean;
    const better = direction.get(metric) === 'lower' ? mean < 0 : mean > 0;
    const significant = test.p !== null && test.p < 0.05;
    const text = `${mean >= 0 ? '+' : ''}${mean.toFixed(4)}, p ${test.p === null ? 'n/a' : test.p < 0.001 ? '<0.001' : test.p.toFixed(3)}`;
    return significant ? `**${text}** ${better ? '(better)' : '(worse)'}` : text;
  });
  console.log(`| ${metric} ${direction.get(metric) === 'lower' ? '↓' : '↑'} | ${cells.join(' | ')} |`);
}
