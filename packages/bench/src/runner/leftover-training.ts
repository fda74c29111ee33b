import { processAlive, processCommandLine } from './process-alive.js';

const GRACE_MS = 10_000;
const POLL_MS = 50;

/**
 * Stops a training process that a killed bench left running in `runDir`, so the restarted bench
 * does not train the same folder twice at once. The process is only touched when its command
 * line names the run folder (its id may have been reused); SIGTERM first, SIGKILL after a grace
 * period. Returns whether a process was stopped.
 */
export async function stopLeftoverTraining(pid: number, runDir: string): Promise<boolean> {
  if (!processAlive(pid) || !processCommandLine(pid)?.includes(runDir)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (processAlive(pid) && Date.now() < deadline) await sleep(POLL_MS);
  if (processAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (processAlive(pid)) await sleep(POLL_MS);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
