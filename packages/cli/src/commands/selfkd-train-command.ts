import { fileURLToPath } from 'node:url';
import type { TrainCommandBuilder } from '@selfkd/bench';

const selfkdBin = fileURLToPath(new URL('../bin.js', import.meta.url));

/**
 * Each training is a `selfkd train` child process, so a crash or a kill costs one run, not the
 * sweep; a local bench and a queue worker start the same command.
 */
export const selfkdTrainCommand: TrainCommandBuilder = (configFile, outDir, resume) => ({
  command: process.execPath,
  args: [selfkdBin, 'train', '--config', configFile, ...(resume ? ['--resume', outDir] : ['--out', outDir])],
});
