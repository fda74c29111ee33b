import { UsageError } from '../usage-error.js';

/** `--queue URL`, or with no URL the SELFKD_QUEUE environment variable (out of `ps`, shell history and logs). */
export function queueUrlFrom(option: string | undefined): string {
  const url = option || process.env.SELFKD_QUEUE;
  if (!url) throw new UsageError('--queue needs a URL (redis://[user:password@]host:port[/db]), or one in SELFKD_QUEUE');
  return url;
}
