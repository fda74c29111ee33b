/** The CIFAR binary record layouts: label byte(s), then a 32×32×3 image as three 1024-byte planes (R, G, B). */
export interface CifarLayout {
  /** 1 for CIFAR-10 (label), 2 for CIFAR-100 (coarse label, fine label). */
  labelBytes: number;
  /** Which label byte is the class. */
  labelIndex: number;
  numClasses: number;
}

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
const IMAGE_BYTES = 3 * PLANE;

/**
 * Parses one CIFAR binary file into NHWC pixels and labels. Throws (without the file name, which
 * the caller adds) when the file is not a whole number of records or a label is out of range.
 */
export function parseCifarRecords(bytes: Uint8Array, layout: CifarLayout): { images: Uint8Array; labels: Int32Array } {
  const recordBytes = layout.labelBytes + IMAGE_BYTES;
  if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
    throw new Error(
      `${bytes.length === 0 ? 'empty' : 'truncated or not a CIFAR file'}: ${bytes.length} bytes is not a whole, positive number of ${recordBytes}-byte records`,
    );
  }
  const count = bytes.length / recordBytes;
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const record = n * recordBytes;
    const label = bytes[record + layout.labelIndex]!;
    if (label >= layout.numClasses) {
      throw new Error(`record ${n} has label ${label}, expected 0..${layout.numClasses - 1}`);
    }
    labels[n] = label;
    const planes = record + layout.labelBytes;
    const out = n * IMAGE_BYTES;
    // CHW planes → HWC: pixel p of channel c moves to p·3 + c.
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < PLANE; p++) images[out + p * 3 + c] = bytes[planes + c * PLANE + p]!;
    }
  }
  return { images, labels };
}
