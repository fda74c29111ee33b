/** An IDX array (the MNIST file format): its dimensions and its unsigned-byte elements. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** IDX element type 0x08: unsigned byte, the only type the MNIST-family files use. */
const UNSIGNED_BYTE = 0x08;

/**
 * Parses an (uncompressed) IDX file: two zero bytes, the element type, the number of dimensions,
 * one big-endian uint32 per dimension, then the elements. The element count must match the
 * header exactly, so truncated and padded files are both rejected. Errors say what is wrong,
 * not where: the caller adds the file name.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) throw new Error(`too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`bad magic number 0x${magic.toString(16).padStart(8, '0')}: not an IDX file`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new Error(`bad magic number 0x${magic.toString(16).padStart(8, '0')}: element type 0x${bytes[2]!.toString(16)}, expected 0x08 (unsigned byte)`);
  }
  const rank = bytes[3]!;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`truncated header: ${rank} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new Error(
      `${actual < expected ? 'truncated' : 'wrong size'}: the header says ${dims.join('×')} = ${expected} bytes of data, the file has ${actual}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
