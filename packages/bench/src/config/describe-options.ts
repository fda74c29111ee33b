import type { PlainObject } from './deep-merge.js';

/** `cs-kd(temperature=4, weight=1)`: a config entry named by one of its keys, with its other options. */
export function describeOptions(entry: PlainObject, nameKey: string): string {
  const { [nameKey]: name, ...options } = entry;
  const settings = Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return settings.length ? `${String(name)}(${settings.join(', ')})` : String(name);
}
