import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '@selfkd/trainer';
import { resolveRawConfig } from '../resolve-config.js';

/** Steps timed after the first (which pays for kernel compilation and warm-up). */
const TIMED_STEPS = 5;

export interface StepTime {
  /** Seconds per training step of the measured config. */
  stepSeconds: number;
  /** Training images per epoch of the measured config. */
  trainSamples: number;
}

class MeasuredEnough extends Error {}

/**
 * Times a few training steps of one run config in this process (no checkpoint kept, no
 * evaluation): the first step is left out, the next `TIMED_STEPS` are averaged. Undefined when an
 * epoch has fewer than two steps.
 */
export async function measureStepTime(raw: Record<string, unknown>, source: string): Promise<StepTime | undefined> {
  const { logging: _logging, eval: _eval, ...measured } = raw;
  const { config, modules } = await resolveRawConfig({ ...measured, train: { ...(raw.train as object), epochs: 1 } }, source);
  const outDir = mkdtempSync(join(tmpdir(), 'selfkd-step-time-'));
  let trainSamples = 0;
  const stamps: number[] = [];
  try {
    await train(config, {
      outDir,
      modules,
      reporter: {
        runStart: (info) => {
          trainSamples = info.trainSamples;
        },
        step: () => {
          stamps.push(performance.now());
          // The trainer has no stop button; an error from its reporter ends the run here.
          if (stamps.length > TIMED_STEPS) throw new MeasuredEnough();
        },
      },
    });
  } catch (err) {
    if (!(err instanceof MeasuredEnough)) throw err;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  if (stamps.length < 2) return undefined;
  return { stepSeconds: (stamps[stamps.length - 1]! - stamps[0]!) / 1000 / (stamps.length - 1), trainSamples };
}
