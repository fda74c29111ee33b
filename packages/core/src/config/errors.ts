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
  const shown = issue.value === undefined ? 'missing' : `got ${JSON.stringify(issue.value)}`;
  return `${issue.path || '(root)'}: ${issue.message} (${shown})`;
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}
