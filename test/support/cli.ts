import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The built command; the test script builds every package before vitest runs. */
export const selfkdBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = repoRoot): CliResult {
  const r = spawnSync(process.execPath, [selfkdBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[], cwd = repoRoot): ChildProcess {
  return spawn(process.execPath, [selfkdBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
