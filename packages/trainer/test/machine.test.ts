import { availableParallelism, cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeMachine } from '../src/machine.js';

describe('machine description', () => {
  it('names the CPU model and the cores this process may use', () => {
    const machine = describeMachine();
    expect(machine.cores).toBe(availableParallelism());
    expect(machine.cpu).toBe(cpus()[0]?.model.trim() || 'unknown');
    expect(machine.cpu.length).toBeGreaterThan(0);
  });
});
