import { idxDataset } from './idx.js';

export const mnist = idxDataset({
  name: 'mnist',
  description: 'MNIST handwritten digits: 60 000 / 10 000 28×28 grey-scale images, 10 classes, IDX files',
  folder: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  // The usual MNIST training-set statistics.
  normalization: { mean: [0.1307], std: [0.3081] },
  systemDirs: [],
  remote: {
    // LeCun's page (the official address) often refuses downloads; PyTorch's mirror serves the same bytes.
    baseUrls: ['https://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    sha256: {
      'train-images-idx3-ubyte': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      'train-labels-idx1-ubyte': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      't10k-images-idx3-ubyte': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      't10k-labels-idx1-ubyte': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
  },
  howToGet: 'allow the download (needs network), or copy the four files from another machine',
});
