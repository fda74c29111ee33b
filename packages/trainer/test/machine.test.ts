import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cpuSecondsSince, describeMachine } from '../src/machine.js';

describe('machine description and CPU time', () => {
  it('names the CPU and the cores this process may use', () => {
    const machine = describeMachine();
    expect(machine.cores).toBe(availableParallelism());
    expect(machine.cpu.length).toBeGreaterThan(0);
  });

  it('counts computing, not waiting', async () => {
    const start = process.cpuUsage();
    const wallStart = performance.now();
    await sleep(300);
    const waited = cpuSecondsSince(start);
    expect(performance.now() - wallStart).toBeGreaterThanOrEqual(299);
    expect(waited).toBeLessThan(0.1);

    // 200 ms of arithmetic: even on a machine shared by several busy processes it gets a share.
    const busyStart = process.cpuUsage();
    const busyWallStart = performance.now();
    let x = 0;
    while (performance.now() - busyWallStart < 200) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(cpuSecondsSince(busyStart)).toBeGreaterThan(0.02);
  });
});
