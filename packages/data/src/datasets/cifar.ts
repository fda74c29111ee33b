import { readFileSync } from 'node:fs';
import { DatasetError, parseFileOrFail } from '../errors.js';
import { cacheDir, describeDirs, findFiles, userSearchDirs, type SearchDir } from '../files/locate.js';
import { CIFAR_SIDE, parseCifarRecords, type CifarLayout } from '../formats/cifar-binary.js';
import type { DatasetDefinition, RawDataset, ReadRequest } from '../definition.js';
import type { ImageSplit, Normalization } from '../types.js';

interface CifarSpec {
  name: string;
  description: string;
  /** The folder the official binary archive extracts to. */
  folder: string;
  archiveUrl: string;
  trainFiles: string[];
  testFiles: string[];
  layout: Omit<CifarLayout, 'numClasses'>;
  classNames: string[];
  normalization: Normalization;
}

/**
 * A CIFAR dataset in its official binary format (the `*-binary.tar.gz` archives, extracted),
 * found in the user's folders or the cache folder; images are converted from CHW planes to NHWC.
 * It is never downloaded: the archive needs extracting, and its size makes that a deliberate step.
 */
function cifarDataset(spec: CifarSpec): DatasetDefinition {
  return {
    name: spec.name,
    description: spec.description,
    imageShape: [CIFAR_SIDE, CIFAR_SIDE, 3],
    classNames: spec.classNames,
    normalization: spec.normalization,
    augment: { cropPadding: 4, flip: true },
    fileBased: true,
    read: (request) => Promise.resolve(readCifar(spec, request)),
  };
}

function readCifar(spec: CifarSpec, request: ReadRequest): RawDataset {
  const fix =
    `Fix: download ${spec.archiveUrl}, extract it, and point --data-dir (data.dataDir) at the folder holding ` +
    `${spec.folder}/ (or at ${spec.folder}/ itself), or set $SELFKD_DATA to that folder.`;
  const dirs: SearchDir[] = [
    ...userSearchDirs(spec.folder, request.dataDir, request.load.dataDir),
    { dir: cacheDir(spec.folder), origin: 'cache folder' },
  ];
  const files = [...spec.trainFiles, ...spec.testFiles];
  const found = findFiles(
    spec.name,
    dirs,
    files.map((f) => [f]),
    fix,
  );
  if (!found) {
    throw new DatasetError(`${spec.name}: cannot find ${files.join(', ')}.\nLooked in:\n${describeDirs(dirs)}\n${fix}`);
  }
  const layout: CifarLayout = { ...spec.layout, numClasses: spec.classNames.length };
  const parts = found.paths.map((path) => {
    request.progress(`reading ${path}`);
    return parseFileOrFail(spec.name, path, `Fix: replace it with a good copy from ${spec.archiveUrl}.`, () =>
      parseCifarRecords(readFileSync(path), layout),
    );
  });
  return {
    train: concat(parts.slice(0, spec.trainFiles.length)),
    test: concat(parts.slice(spec.trainFiles.length)),
    source: `${found.at.dir} (${found.at.origin})`,
  };
}

function concat(parts: { images: Uint8Array; labels: Int32Array }[]): ImageSplit {
  const images = new Uint8Array(parts.reduce((n, p) => n + p.images.length, 0));
  const labels = new Int32Array(parts.reduce((n, p) => n + p.labels.length, 0));
  let imageAt = 0;
  let labelAt = 0;
  for (const part of parts) {
    images.set(part.images, imageAt);
    labels.set(part.labels, labelAt);
    imageAt += part.images.length;
    labelAt += part.labels.length;
  }
  return { images, labels, size: labels.length };
}

export const cifar10 = cifarDataset({
  name: 'cifar10',
  description: 'CIFAR-10: 50 000 / 10 000 32×32 colour images, 10 classes, binary version (cifar-10-batches-bin)',
  folder: 'cifar-10-batches-bin',
  archiveUrl: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  trainFiles: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  testFiles: ['test_batch.bin'],
  layout: { labelBytes: 1, labelIndex: 0 },
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  // Per-channel mean and standard deviation of the 50 000 training images.
  normalization: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
});

export const cifar100 = cifarDataset({
  name: 'cifar100',
  description: 'CIFAR-100: 50 000 / 10 000 32×32 colour images, 100 fine classes, binary version (cifar-100-binary)',
  folder: 'cifar-100-binary',
  archiveUrl: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
  trainFiles: ['train.bin'],
  testFiles: ['test.bin'],
  // Each record: coarse label, fine label, image. The class is the fine label.
  layout: { labelBytes: 2, labelIndex: 1 },
  // fine_label_names.txt of the archive, in label order (alphabetical).
  classNames: [
    'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
    'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
    'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
    'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
    'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
    'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
    'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
    'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
    'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
    'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
  ],
  // Per-channel mean and standard deviation of the 50 000 training images.
  normalization: { mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762] },
});
