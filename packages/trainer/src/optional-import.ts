/**
 * Imports a package that may be absent (an optional dependency): its absence is normal and is
 * reported as such, while a package that is there but fails to load says why.
 */
export async function importOptional<T = unknown>(pkg: string): Promise<{ ok: true; module: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, module: (await import(pkg)) as T };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(pkg)) return { ok: false, reason: 'not installed (optional)' };
    return { ok: false, reason: `installed but failed to load: ${e.message.split('\n')[0]}` };
  }
}
