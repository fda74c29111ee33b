import { readFileSync } from 'node:fs';

/**
 * This package's own version, from the package.json next to dist/ (wherever npm put it), not the
 * one yargs would find from the current folder, which is the user's project or none at all.
 */
export const cliVersion: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
