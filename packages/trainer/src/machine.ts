import { availableParallelism, cpus } from 'node:os';

/** The processor a run trained on, so a report can say whether two timings are comparable. */
export interface MachineDescription {
  /** The CPU model as the OS names it (`unknown` where it does not say). */
  cpu: string;
  /** Logical cores this process may use. */
  cores: number;
}

export function describeMachine(): MachineDescription {
  const model = cpus()[0]?.model.trim();
  return { cpu: model || 'unknown', cores: availableParallelism() };
}
