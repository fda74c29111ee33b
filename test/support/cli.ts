import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { runProcess, type ProcessResult } from './run-process.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The built command; the test script builds every package before vitest runs. */
export const selfkdBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

export type CliResult = ProcessResult;

export function runCli(args: string[], cwd = repoRoot): Promise<CliResult> {
  return runProcess(process.execPath, [selfkdBin, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
}

export function startCli(args: string[], cwd = repoRoot): ChildProcess {
  return spawn(process.execPath, [selfkdBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
