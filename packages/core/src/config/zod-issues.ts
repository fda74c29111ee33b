import { z } from 'zod';
import { pathToString, type ConfigIssue } from './errors.js';

/**
 * Turns the issues of `schema.safeParse(input)` into ConfigIssues with the offending value and, for
 * unknown keys, the allowed ones. `prefix` is where `input` sits in the whole config (`['model']`),
 * so that every package reports paths in the same notation (`model.channels[1]`).
 */
export function toConfigIssues(
  error: z.ZodError,
  schema: z.ZodType,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path, input);
      for (const key of issue.keys) {
        issues.push({
          path: pathToString([...at, key]),
          value: valueAt(input, [...issue.path, key]),
          message: `unknown key "${key}"${allowed.length ? `; allowed keys: ${allowed.join(', ')}` : ''}`,
        });
      }
      continue;
    }
    issues.push({ path: pathToString(at), value: valueAt(input, issue.path), message: issue.message });
  }
  return issues;
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  const target = schemaAt(schema, path, data);
  return target ? objectKeys(target, valueAt(data, path)) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

function objectKeys(schema: z.ZodType, value: unknown): string[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodDiscriminatedUnion || s instanceof z.ZodUnion) {
    const options = s.options as z.ZodType[];
    const matching = options.filter((o) => unionOptionMatches(o, value));
    return [...new Set((matching.length ? matching : options).flatMap((o) => objectKeys(o, value)))];
  }
  return [];
}

function unionOptionMatches(option: z.ZodType, value: unknown): boolean {
  const s = unwrap(option);
  if (!(s instanceof z.ZodObject) || value === null || typeof value !== 'object') return false;
  return Object.entries(s.shape).some(([key, field]) => {
    const f = unwrap(field as z.ZodType);
    return f instanceof z.ZodLiteral && f.values.has((value as Record<string, unknown>)[key] as never);
  });
}

function schemaAt(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  let value = data;
  for (const key of path) {
    if (!s) return undefined;
    const u = unwrap(s);
    if (u instanceof z.ZodArray) s = u.element as z.ZodType;
    else if (u instanceof z.ZodObject) s = u.shape[String(key)] as z.ZodType | undefined;
    else if (u instanceof z.ZodDiscriminatedUnion || u instanceof z.ZodUnion) {
      const option = (u.options as z.ZodType[]).find((o) => unionOptionMatches(o, value));
      s = option ? schemaAt(option, [key], value) : undefined;
    } else return undefined;
    value = valueAt(value, [key]);
  }
  return s;
}
