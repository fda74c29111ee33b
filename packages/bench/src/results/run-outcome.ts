import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_FILE, RESULT_FILE, type MetricValue } from '@selfkd/core';
import type { EvalSuite } from '@selfkd/eval';
import { isPlainObject, type PlainObject } from '../config/deep-merge.js';
import { flattenMetrics } from './flatten-metrics.js';

/** One line of metrics.jsonl, as far as the report uses it. */
export interface EpochPoint {
  epoch: number;
  lr: number | null;
  testTop1: number | null;
  testNll: number | null;
  /** Epoch means of the loss terms (`total`, `task`, one per regularizer). */
  train: Record<string, number>;
  seconds: number | null;
}

/** What a finished run folder holds, ready to be recorded. */
export interface RunOutcome {
  result: PlainObject;
  metrics: MetricValue[];
  epochs: EpochPoint[];
  backend: string | null;
  versions: Record<string, string> | null;
  node: string | null;
  /** The training process's own wall time (result.json `seconds`). */
  seconds: number | null;
}

/**
 * Reads result.json and metrics.jsonl of a finished run. Throws when result.json is missing or not
 * a JSON object (the run did not finish); a metrics line cut short is skipped.
 */
export function readRunOutcome(runDir: string, evalSuites?: readonly EvalSuite[]): RunOutcome {
  const resultPath = join(runDir, RESULT_FILE);
  let result: unknown;
  try {
    result = JSON.parse(readFileSync(resultPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${resultPath}: ${(err as Error).message}`);
  }
  if (!isPlainObject(result)) throw new Error(`${resultPath} does not hold a JSON object`);
  const env = isPlainObject(result.env) ? result.env : {};
  return {
    result,
    metrics: flattenMetrics(result, evalSuites),
    epochs: readEpochs(join(runDir, METRICS_FILE)),
    backend: typeof env.backend === 'string' ? env.backend : null,
    versions: isPlainObject(env.versions) ? stringEntries(env.versions) : null,
    node: typeof env.node === 'string' ? env.node : null,
    seconds: finiteOrNull(result.seconds),
  };
}

function readEpochs(path: string): EpochPoint[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const record: unknown = JSON.parse(line);
        return isPlainObject(record) && typeof record.epoch === 'number' ? [toEpochPoint(record)] : [];
      } catch {
        return [];
      }
    });
}

function toEpochPoint(record: PlainObject): EpochPoint {
  const test = isPlainObject(record.test) ? record.test : {};
  const train = isPlainObject(record.train) ? record.train : {};
  return {
    epoch: record.epoch as number,
    lr: finiteOrNull(record.lr),
    testTop1: finiteOrNull(test.top1),
    testNll: finiteOrNull(test.nll),
    train: Object.fromEntries(Object.entries(train).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))),
    seconds: finiteOrNull(record.seconds),
  };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringEntries(object: PlainObject): Record<string, string> {
  return Object.fromEntries(Object.entries(object).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
