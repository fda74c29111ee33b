import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';

/** How to start one training: `selfkd train --config FILE --out DIR` (or `--resume DIR`). */
export interface TrainCommand {
  command: string;
  args: string[];
}

/** Builds the training command for a run config file and run folder; `resume` when it has a checkpoint. */
export type TrainCommandBuilder = (configFile: string, outDir: string, resume: boolean) => TrainCommand;

export interface TrainingExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (e.g. not found). */
  spawnError?: Error;
}

export interface TrainingProcess {
  pid: number | null;
  exited: Promise<TrainingExit>;
  /** Asks the training to stop (SIGTERM). */
  stop(): void;
}

/**
 * Starts a training as a child process with stdout and stderr appended to `logFile` (parallel
 * trainings would interleave on the console), after a header line naming the attempt.
 */
export function startTraining(command: TrainCommand, logFile: string, header: string): TrainingProcess {
  const log = openSync(logFile, 'a');
  try {
    writeSync(log, `\n=== ${header}: ${[command.command, ...command.args].join(' ')}\n`);
    const child = spawn(command.command, command.args, { stdio: ['ignore', log, log] });
    const exited = new Promise<TrainingExit>((resolve) => {
      child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return { pid: child.pid ?? null, exited, stop: () => child.kill('SIGTERM') };
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
}

/** Why a training failed, in one message: how it ended and the end of its log. */
export function describeFailure(exit: TrainingExit, logFile: string): string {
  if (exit.spawnError) return `could not start the training: ${exit.spawnError.message}`;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const tail = logTail(logFile);
  return tail ? `training ${how}; end of ${logFile}:\n${tail}` : `training ${how} (${logFile} is empty)`;
}

/** The last `lines` non-empty lines the latest attempt wrote to a log file (from at most its last 8 KiB). */
export function logTail(path: string, lines = 12): string {
  const size = statSync(path).size;
  const length = Math.min(size, 8192);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8');
  const header = text.lastIndexOf('\n=== ');
  const attempt = header < 0 ? text : text.slice(text.indexOf('\n', header + 1) + 1);
  return attempt
    .split('\n')
    .filter((line) => line.trim())
    .slice(-lines)
    .join('\n');
}
