// prepack step of every published package: ships the repository's LICENSE in the tarball, so that
// the one licence text stays at the root (the package folders' copies are git-ignored).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

copyFileSync(join(import.meta.dirname, '..', 'LICENSE'), join(process.cwd(), 'LICENSE'));
