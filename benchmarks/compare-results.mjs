#!/usr/bin/env node
// Compares the per-run metrics of two bench results.json files (a committed reference and a rerun):
// prints how many values were compared, how many differ and the largest difference, and exits 1
// when any run or metric of the reference is missing from the rerun or differs by more than --tol.
//
//   node benchmarks/compare-results.mjs benchmarks/results/quick/results.json runs/bench-quick/results.json [--tol 0]
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';

const args = process.argv.slice(2);
const tolAt = args.indexOf('--tol');
const tol = tolAt >= 0 ? Number(args.splice(tolAt, 2)[1]) : 0;
if (args.length !== 2 || !(tol >= 0)) {
  console.error('usage: node benchmarks/compare-results.mjs REFERENCE.json RERUN.json [--tol T ≥ 0]');
  process.exit(2);
}
const runsOf = (file) => new Map(JSON.parse(readFileSync(file, 'utf8')).runs.map((r) => [`${r.combination}/seed-${r.seed}`, r.metrics]));
const [reference, rerun] = args.map(runsOf);

let compared = 0;
let largest = 0;
const problems = [];
for (const [run, metrics] of reference) {
  const other = rerun.get(run);
  if (!other) {
    problems.push(`${run}: missing from the rerun`);
    continue;
  }
  for (const [name, value] of Object.entries(metrics)) {
    compared++;
    if (!(name in other)) {
      problems.push(`${run} ${name}: missing from the rerun`);
      continue;
    }
    const difference = Math.abs(other[name] - value);
    largest = Math.max(largest, difference);
    if (!(difference <= tol)) problems.push(`${run} ${name}: ${value} → ${other[name]}`);
  }
}
console.log(`${reference.size} runs, ${compared} metric values compared, ${problems.length} differ by more than ${tol}; largest difference ${largest}`);
for (const line of problems.slice(0, 20)) console.log(`  ${line}`);
process.exit(problems.length ? 1 : 0);
