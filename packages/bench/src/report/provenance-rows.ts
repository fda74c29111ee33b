import type { Provenance } from '../aggregate/provenance.js';

/** The provenance as label and text, for the head of both reports. */
export function provenanceRows(p: Provenance): [string, string][] {
  const list = (values: readonly (string | number)[]): string => (values.length ? values.join('; ') : 'not recorded');
  const cpu = p.cpuSeconds === null ? 'CPU time not recorded by these runs' : `${formatDuration(p.cpuSeconds)} CPU`;
  return [
    ['dataset', list(p.datasets)],
    ['model', list(p.models)],
    ['epochs', list(p.epochs)],
    ['backend', list(p.backends)],
    ['selfkd', list(p.selfkd)],
    ['TensorFlow.js', list(p.tfjs)],
    ['Node.js', list(p.node)],
    ['machine', list(p.machines)],
    ['wall time', p.wallSeconds === null ? '–' : `${formatDuration(p.wallSeconds)} (${p.startedAt} → ${p.finishedAt}, first run start to last run end)`],
    ['training time', `summed over runs: ${formatDuration(p.trainingSeconds)} wall, ${cpu}`],
  ];
}

/** `42.0 s`, `12 min 5 s`, `3 h 2 min`. */
export function formatDuration(exact: number): string {
  const seconds = Math.round(exact * 10) / 10;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds - 60 * minutes)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
