import { z } from '@selfkd/core';
import { probeBackends } from '@selfkd/trainer';
import { buildCatalog } from '../resolve-config.js';

/** Regularizers, models, datasets and backends available here, with their defaults and why a backend is not. */
export async function runList(pluginNames: readonly string[] = []): Promise<string> {
  const { catalog } = await buildCatalog(pluginNames);
  const lines: string[] = ['regularizers:'];
  for (const p of catalog.plugins) {
    const defaults = safeDefaults(p.options as z.ZodType);
    lines.push(`  ${p.type.padEnd(16)} ${p.description}`, `  ${''.padEnd(16)} options: ${defaults}; weight ${p.defaultWeight({ types: [p.type] })}`);
  }
  lines.push('models:');
  for (const m of catalog.models) lines.push(`  ${m.name.padEnd(16)} ${m.description}`, `  ${''.padEnd(16)} options: ${safeDefaults(m.options)}`);
  lines.push('datasets:');
  for (const d of catalog.datasets) lines.push(`  ${d.name.padEnd(16)} ${d.description}`);
  lines.push('backends:');
  for (const b of await probeBackends()) lines.push(`  ${b.name.padEnd(16)} ${b.available ? 'available' : 'not available'}: ${b.detail}`);
  return lines.join('\n');
}

function safeDefaults(schema: z.ZodType): string {
  const parsed = schema.safeParse({});
  return parsed.success ? JSON.stringify(parsed.data) : '(has required options)';
}
