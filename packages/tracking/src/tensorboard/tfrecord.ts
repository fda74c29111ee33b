import { maskedCrc32c } from '../crc.js';

/** Bytes around each record: uint64 length + its masked CRC, then the data's masked CRC. */
const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/**
 * One TFRecord: little-endian uint64 length, masked CRC-32C of those 8 bytes, the data, masked
 * CRC-32C of the data.
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return out;
}

export interface RecordScan {
  records: Uint8Array[];
  /**
   * How reading stopped early, if it did: `truncated` when the file ends inside a record (a writer
   * killed mid-write, or a file still being written), `corrupt` when a checksum does not match.
   * TensorBoard stops at the same points; the records before them are intact.
   */
  stopped?: { reason: 'truncated' | 'corrupt'; offset: number };
}

/** Every complete, checksum-valid record from the start of a TFRecord file. */
export function scanRecords(file: Uint8Array): RecordScan {
  const records: Uint8Array[] = [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let offset = 0;
  while (offset < file.length) {
    if (offset + HEADER_BYTES > file.length) return { records, stopped: { reason: 'truncated', offset } };
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(file.subarray(offset, offset + 8))) {
      return { records, stopped: { reason: 'corrupt', offset } };
    }
    const length = view.getBigUint64(offset, true);
    const end = BigInt(offset + HEADER_BYTES) + length + BigInt(FOOTER_BYTES);
    if (end > BigInt(file.length)) return { records, stopped: { reason: 'truncated', offset } };
    const data = file.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + Number(length));
    if (view.getUint32(offset + HEADER_BYTES + data.length, true) !== maskedCrc32c(data)) {
      return { records, stopped: { reason: 'corrupt', offset } };
    }
    records.push(data);
    offset = Number(end);
  }
  return { records };
}
