/**
 * Table-driven CRC-32 over a reflected polynomial. Two are needed: CRC-32C (Castagnoli) frames
 * TFRecord files, and the IEEE CRC-32 closes every PNG chunk (node 20's zlib does not expose it).
 */
function crcTable(reflectedPolynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPolynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function crcWith(table: Uint32Array, bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CASTAGNOLI = crcTable(0x82f63b78);
const IEEE = crcTable(0xedb88320);

/** CRC-32C (iSCSI, RFC 3720). */
export function crc32c(bytes: Uint8Array): number {
  return crcWith(CASTAGNOLI, bytes);
}

/** CRC-32 (IEEE 802.3, zlib, PNG). */
export function crc32(bytes: Uint8Array): number {
  return crcWith(IEEE, bytes);
}

/**
 * TFRecord stores CRC-32C values rotated right by 15 bits plus a constant, because a CRC of data
 * that itself contains CRCs is weak; a reader unmasks before comparing.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
