/** One problem in a config: where, what was there, and what is allowed. */
export interface ConfigIssue {
  path: string;
  value: unknown;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[], readonly source = 'config') {
    super(`invalid ${source}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const shown = issue.value === undefined ? 'missing' : `got ${formatValue(issue.value)}`;
  return `${issue.path || '(root)'}: ${issue.message} (${shown})`;
}

/** JSON, except that NaN and ±Infinity stay visible (JSON.stringify would print them as null). */
export function formatValue(value: unknown): string {
  const marks = new Map<string, string>();
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const mark = `\u0000${marks.size}\u0000`;
      marks.set(JSON.stringify(mark), String(v));
      return mark;
    }
    return v;
  });
  if (text === undefined) return String(value);
  let shown = text;
  for (const [mark, number] of marks) shown = shown.replace(mark, number);
  return shown;
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}
