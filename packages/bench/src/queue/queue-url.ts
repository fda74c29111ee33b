import { ConfigError } from '@selfkd/core';

/** Where the job queue lives, as the Redis client needs it, plus a form that is safe to print. */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** `rediss://`: connect with TLS, checking the server's certificate. */
  tls: boolean;
  /** The URL with its password replaced by `***`: the only form that goes into logs, messages and files. */
  display: string;
}

const DEFAULT_PORT = 6379;

/**
 * Parses `redis://[user:pass@]HOST:PORT[/db]` or `rediss://…` (TLS). Errors never repeat the
 * password: the value they show is the redacted URL.
 */
export function parseQueueUrl(url: string, field = '--queue'): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw queueUrlError(field, redactUnparsed(url), 'not a URL; expected redis://[user:password@]host:port[/db] or rediss://…');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    // Another scheme may not put the password where URL parsing finds it (`user:password@host`).
    throw queueUrlError(field, redactUnparsed(url), `the scheme must be redis: or rediss: (TLS), not ${parsed.protocol}`);
  }
  const display = redact(parsed);
  if (!parsed.hostname) throw queueUrlError(field, display, 'the URL names no host');
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db)) throw queueUrlError(field, display, `the path must be a database number (/0, /1, …), not /${dbText}`);
  if (parsed.search || parsed.hash) throw queueUrlError(field, display, 'query strings and fragments are not supported');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    tls: parsed.protocol === 'rediss:',
    display,
  };
}

function redact(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

/** A string that is not even a URL may still hold `user:password@`: everything up to the last `@` goes. */
function redactUnparsed(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  return `${scheme}***${text.slice(at)}`;
}

function queueUrlError(field: string, shown: string, message: string): ConfigError {
  return new ConfigError([{ path: field, value: shown, message }], 'queue URL');
}
