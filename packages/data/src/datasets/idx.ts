import { DatasetError, parseFileOrFail } from '../errors.js';
import { cacheDir, describeDirs, findFiles, userSearchDirs, type SearchDir } from '../files/locate.js';
import { ensureDownloaded, fetchBytes, type RemoteSource } from '../files/download.js';
import { readMaybeGzipped } from '../files/read.js';
import { parseIdx } from '../formats/idx.js';
import type { DatasetDefinition, RawDataset, ReadRequest } from '../definition.js';
import type { ImageSplit, Normalization } from '../types.js';

const SIDE = 28;
const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
const FILE_ORDER = [FILES.trainImages, FILES.trainLabels, FILES.testImages, FILES.testLabels];

interface IdxDatasetSpec {
  name: string;
  description: string;
  /** Sub-folder name under `dataDir`, `$SELFKD_DATA` and the cache. */
  folder: string;
  classNames: string[];
  normalization: Normalization;
  /** System-wide copies (e.g. a Debian package), searched after the user's folders. */
  systemDirs: SearchDir[];
  /** The published `.gz` files, keyed by base name. */
  remote: { baseUrls: string[]; sha256: Record<(typeof FILE_ORDER)[number], string> };
  /** How to get the files, for error messages. */
  howToGet: string;
}

/**
 * A 28×28 grey-scale dataset in the MNIST IDX format (four files, raw or gzipped), found in the
 * user's folders, then the system folders, then the download cache — downloaded there (with a
 * SHA-256 check) when no folder has it.
 */
export function idxDataset(spec: IdxDatasetSpec): DatasetDefinition {
  return {
    name: spec.name,
    description: spec.description,
    imageShape: [SIDE, SIDE, 1],
    classNames: spec.classNames,
    normalization: spec.normalization,
    augment: { cropPadding: 0, flip: false },
    fileBased: true,
    read: (request) => readIdxDataset(spec, request),
  };
}

async function readIdxDataset(spec: IdxDatasetSpec, request: ReadRequest): Promise<RawDataset> {
  const fileList = FILE_ORDER.map((f) => `${f}(.gz)`).join(', ');
  const fix = `Fix: ${spec.howToGet}, or point --data-dir (data.dataDir) at a folder holding ${fileList}.`;
  const dirs = [...userSearchDirs(spec.folder, request.dataDir, request.load.dataDir), ...spec.systemDirs];
  const found = findFiles(
    spec.name,
    dirs,
    FILE_ORDER.map((f) => [f, `${f}.gz`]),
    fix,
  );
  if (found) return parseIdxFiles(spec, found.paths, found.at, replaceHint(found.at, spec));

  const cache: SearchDir = { dir: cacheDir(spec.folder), origin: 'download cache' };
  const source: RemoteSource = {
    baseUrls: spec.remote.baseUrls,
    files: FILE_ORDER.map((f) => ({ name: `${f}.gz`, sha256: spec.remote.sha256[f] })),
  };
  let paths: string[];
  try {
    paths = await ensureDownloaded(source, cache.dir, request.load.fetch ?? fetchBytes, request.progress);
  } catch (err) {
    throw new DatasetError(
      `${spec.name}: no local copy found and the download into ${cache.dir} failed.\nLooked in:\n${describeDirs(dirs)}\n` +
        `Download: ${(err as Error).message}\n${fix}`,
    );
  }
  return parseIdxFiles(spec, paths, cache, replaceHint(cache, spec));
}

function replaceHint(at: SearchDir, spec: IdxDatasetSpec): string {
  if (at.origin === 'download cache') return `Fix: delete ${at.dir} to download the files again.`;
  if (spec.systemDirs.includes(at)) return `Fix: ${spec.howToGet} (reinstall), or point --data-dir (data.dataDir) at a good copy.`;
  return `Fix: replace it with a good copy (official files: ${spec.remote.baseUrls[0]}), or point --data-dir (data.dataDir) elsewhere.`;
}

function parseIdxFiles(spec: IdxDatasetSpec, paths: string[], at: SearchDir, fix: string): RawDataset {
  const [trainImages, trainLabels, testImages, testLabels] = paths as [string, string, string, string];
  const read = (path: string, rank: number) =>
    parseFileOrFail(spec.name, path, fix, () => {
      const array = parseIdx(readMaybeGzipped(path));
      if (array.dims.length !== rank) throw new Error(`${array.dims.length} dimensions, expected ${rank}`);
      return array;
    });
  const split = (imagesPath: string, labelsPath: string): ImageSplit => {
    const images = read(imagesPath, 3);
    const labels = read(labelsPath, 1);
    const fail = (message: string): never => {
      throw new DatasetError(`${spec.name}: ${message}. ${fix}`);
    };
    if (images.dims[1] !== SIDE || images.dims[2] !== SIDE) {
      fail(`${imagesPath}: images are ${images.dims[1]}×${images.dims[2]}, expected ${SIDE}×${SIDE}`);
    }
    if (images.dims[0] !== labels.dims[0]) {
      fail(`${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels`);
    }
    const bad = labels.data.findIndex((label) => label >= spec.classNames.length);
    if (bad >= 0) fail(`${labelsPath}: label ${labels.data[bad]} at row ${bad}, expected 0..${spec.classNames.length - 1}`);
    return { images: images.data, labels: Int32Array.from(labels.data), size: labels.dims[0]! };
  };
  return {
    train: split(trainImages, trainLabels),
    test: split(testImages, testLabels),
    source: `${at.dir} (${at.origin})`,
  };
}
