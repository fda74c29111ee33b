import { spawn, type SpawnOptions } from 'node:child_process';

export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's standard input, which is then closed. */
  input?: string;
  /** Kills the child with SIGKILL after this many milliseconds. */
  timeoutMs?: number;
}

/**
 * Runs a command to completion without blocking the test worker. The suite never uses the
 * synchronous child_process calls: a worker that blocks for a minute misses vitest's RPC
 * deadline on a loaded machine, and the whole run fails although every test passed.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, spawnOptions);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** Like runProcess, but throws with the command's output when it does not exit with status 0. */
export async function runChecked(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<string> {
  const result = await runProcess(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} ended with ${result.signal ?? `status ${result.status}`}:\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}
