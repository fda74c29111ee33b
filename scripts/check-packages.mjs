// Packs every publishable package of the workspace (packages/*) as `pnpm publish` would and checks
// each tarball with publint --strict and Are the Types Wrong, failing on any problem. Also refuses
// tarballs that carry a TypeScript build cache or source maps whose sources are not shipped.
//   node scripts/check-packages.mjs [--keep DIR]
// prints one line per package and exits 1 when any package has a problem.
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { unpack } from '@publint/pack';
import { execFile } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import process from 'node:process';
import { promisify, TextDecoder } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(import.meta.dirname, '..');
// The packages are ES modules only (`"type": "module"`, Node >= 20): attw's CommonJS and node10
// resolutions do not apply, as with `attw --profile esm-only`.
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

const keepAt = process.argv.indexOf('--keep');
const packDir = keepAt > 0 ? process.argv[keepAt + 1] : mkdtempSync(join(tmpdir(), 'selfkd-check-packages-'));

await promisify(execFile)('npx', ['-y', 'pnpm@12.4.2', '-r', '--filter', './packages/*', 'pack', '--pack-destination', packDir], { cwd: root });
const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz')).sort();

/** Problems publint --strict finds (its suggestions too: strict makes warnings errors; suggestions are listed). */
async function publintProblems(files, rootDir) {
  const { messages, pkg } = await publint({ pack: { files }, pkgDir: rootDir, strict: true, level: 'suggestion' });
  return messages.map((m) => `publint ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
}

async function attwProblems(data) {
  const result = await checkPackage(createPackageFromTarballData(data));
  if (!result.types) return ['attw: the package ships no types'];
  return result.problems
    .filter((p) => !('resolutionKind' in p) || !IGNORED_RESOLUTIONS.has(p.resolutionKind))
    .map((p) => `attw ${p.kind}${'entrypoint' in p ? ` at ${p.entrypoint}` : ''}${'resolutionKind' in p ? ` (${p.resolutionKind})` : ''}`);
}

/** Build caches must stay out, and every source a shipped source map names must be shipped. */
function contentProblems(files, rootDir) {
  const names = new Set(files.map((f) => f.name));
  const problems = files.filter((f) => f.name.endsWith('.tsbuildinfo')).map((f) => `ships the build cache ${f.name}`);
  for (const file of files.filter((f) => f.name.endsWith('.map'))) {
    const map = JSON.parse(new TextDecoder().decode(file.data));
    map.sources.forEach((source, i) => {
      const inline = map.sourcesContent?.[i] != null;
      const target = posix.normalize(posix.join(posix.dirname(file.name), map.sourceRoot ?? '', source));
      if (!inline && !names.has(target)) problems.push(`${file.name.slice(rootDir.length + 1)} names ${source}, which is not in the tarball`);
    });
  }
  return problems;
}

let failed = 0;
for (const tarball of tarballs) {
  const data = readFileSync(join(packDir, tarball));
  const { files, rootDir } = await unpack(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const problems = [...(await publintProblems(files, rootDir)), ...(await attwProblems(new Uint8Array(data))), ...contentProblems(files, rootDir)];
  if (problems.length > 0) failed++;
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${tarball} (${(data.byteLength / 1024).toFixed(0)} KiB)`);
  for (const problem of problems) console.log(`     ${problem}`);
}
if (keepAt < 0) rmSync(packDir, { recursive: true, force: true });
console.log(`${tarballs.length} packages checked, ${failed} with problems`);
process.exitCode = failed > 0 || tarballs.length === 0 ? 1 : 0;
