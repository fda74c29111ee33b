import { idxDataset } from './idx.js';

/** Debian's `dataset-fashion-mnist` installs the four gzipped IDX files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const fashionMnist = idxDataset({
  name: 'fashion-mnist',
  description: 'Fashion-MNIST (Zalando): 60 000 / 10 000 28×28 grey-scale clothing images, 10 classes, IDX files',
  folder: 'fashion-mnist',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  // Training-set statistics (checked against the data in the tests when the Debian copy is present).
  normalization: { mean: [0.286], std: [0.353] },
  systemDirs: [{ dir: DEBIAN_FASHION_MNIST_DIR, origin: 'Debian package dataset-fashion-mnist' }],
  remote: {
    baseUrls: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    // SHA-256 of the published .gz files (Debian re-compresses them, so its copies hash differently).
    sha256: {
      'train-images-idx3-ubyte': '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc',
      'train-labels-idx1-ubyte': 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc',
      't10k-images-idx3-ubyte': '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229',
      't10k-labels-idx1-ubyte': '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf',
    },
  },
  howToGet: 'apt-get install dataset-fashion-mnist',
});
