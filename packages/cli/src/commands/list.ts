import { z } from '@selfkd/core';
import { probeBackends } from '@selfkd/trainer';
import { buildCatalog } from '../resolve-config.js';

/** Regularizers, models, datasets, reporters, evaluation suites and backends available here, with their defaults and why a backend is not. */
export async function runList(pluginNames: readonly string[] = []): Promise<string> {
  const { catalog, evalSuites } = await buildCatalog(pluginNames);
  const lines: string[] = ['regularizers:'];
  for (const p of catalog.plugins) {
    const defaults = safeDefaults(p.options as z.ZodType);
    lines.push(`  ${p.type.padEnd(16)} ${p.description}`, `  ${''.padEnd(16)} options: ${defaults}; weight ${p.defaultWeight({ types: [p.type] })}`);
  }
  lines.push('models:');
  for (const m of catalog.models) lines.push(`  ${m.name.padEnd(16)} ${m.description}`, `  ${''.padEnd(16)} options: ${safeDefaults(m.options)}`);
  lines.push('datasets:');
  for (const d of catalog.datasets) lines.push(`  ${d.name.padEnd(16)} ${d.description}`);
  lines.push('reporters:');
  for (const r of catalog.reporters ?? []) lines.push(`  ${r.name.padEnd(16)} ${r.description}`, `  ${''.padEnd(16)} options: ${optionNames(r.options)}`);
  lines.push('evaluation suites (eval.suite):');
  for (const e of evalSuites) lines.push(`  ${e.name.padEnd(16)} ${e.description}`, `  ${''.padEnd(16)} options: ${safeDefaults(e.options)}`);
  lines.push('backends:');
  for (const b of await probeBackends()) lines.push(`  ${b.name.padEnd(16)} ${b.available ? 'available' : 'not available'}: ${b.detail}`);
  return lines.join('\n');
}

function safeDefaults(schema: z.ZodType): string {
  const parsed = schema.safeParse({});
  return parsed.success ? JSON.stringify(parsed.data) : '(has required options)';
}

/** A reporter's option names (most have a required path, so there are no defaults to show). */
function optionNames(schema: z.ZodType): string {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '(see its package)';
}
