import { crc32 } from '../crc.js';

/**
 * The framing of a W&B transaction log (`run-<id>.wandb`), as W&B's writers produce it
 * (wandb/sdk/internal/datastore.py, core/pkg/leveldb in wandb/wandb):
 *
 * - a 7-byte file header: the ASCII ident `:W&B`, the magic 0xBEE1 (uint16, little-endian) and
 *   the store version 0;
 * - then LevelDB's log format: the file is cut into 32 KiB blocks counted from the first byte of
 *   the file (so the first block holds 7 header bytes fewer); a record is one FULL chunk, or a
 *   FIRST chunk, MIDDLE chunks and a LAST chunk, none crossing a block boundary; each chunk is
 *   uint32 checksum, uint16 length (both little-endian), uint8 type, then the data; a block tail
 *   shorter than a chunk header is zero-filled.
 *
 * W&B departs from LevelDB in the checksum: it is the plain IEEE CRC-32 (zlib's) of the type byte
 * followed by the data, not LevelDB's masked CRC-32C, although the datastore's docstring still
 * says crc32c. Both W&B readers (Python and Go) check it that way.
 */
export const WANDB_LOG_IDENT = ':W&B';
export const WANDB_LOG_MAGIC = 0xbee1;
export const WANDB_LOG_VERSION = 0;
export const BLOCK_BYTES = 32 * 1024;
export const CHUNK_HEADER_BYTES = 7;
export const FILE_HEADER_BYTES = 7;

export const ChunkType = { full: 1, first: 2, middle: 3, last: 4 } as const;

/** The 7 bytes a transaction log starts with. */
export function wandbLogHeader(): Uint8Array {
  const header = new Uint8Array(FILE_HEADER_BYTES);
  header.set(new TextEncoder().encode(WANDB_LOG_IDENT), 0);
  new DataView(header.buffer).setUint16(4, WANDB_LOG_MAGIC, true);
  header[6] = WANDB_LOG_VERSION;
  return header;
}

/**
 * The bytes that append one record to a log whose length is `fileOffset`: zero padding where the
 * current block has no room for a chunk header, then the record's chunks.
 */
export function frameWandbRecord(payload: Uint8Array, fileOffset: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = fileOffset;
  let rest = payload;
  let started = false;
  for (;;) {
    const blockLeft = BLOCK_BYTES - (offset % BLOCK_BYTES);
    if (blockLeft < CHUNK_HEADER_BYTES) {
      parts.push(new Uint8Array(blockLeft));
      offset += blockLeft;
      continue;
    }
    const room = blockLeft - CHUNK_HEADER_BYTES;
    const fits = rest.length <= room;
    const data = fits ? rest : rest.subarray(0, room);
    const type = fits ? (started ? ChunkType.last : ChunkType.full) : started ? ChunkType.middle : ChunkType.first;
    parts.push(chunk(type, data));
    offset += CHUNK_HEADER_BYTES + data.length;
    if (fits) break;
    rest = rest.subarray(room);
    started = true;
  }
  return concatBytes(parts);
}

function chunk(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER_BYTES + data.length);
  const view = new DataView(out.buffer);
  view.setUint16(4, data.length, true);
  out[6] = type;
  out.set(data, CHUNK_HEADER_BYTES);
  // The type byte and the data are contiguous in the chunk, so one pass covers both.
  view.setUint32(0, crc32(out.subarray(6)), true);
  return out;
}

export interface WandbLogScan {
  records: Uint8Array[];
  /**
   * How reading stopped early, if it did: `truncated` when the file ends inside a record (a killed
   * writer, or a run still being written), `corrupt` when a checksum, a chunk type or the padding
   * is wrong. The records before that point are intact.
   */
  stopped?: { reason: 'truncated' | 'corrupt'; offset: number };
}

/** Every complete, checksum-valid record of a transaction log; throws when the file header is not W&B's. */
export function scanWandbLog(file: Uint8Array): WandbLogScan {
  checkFileHeader(file);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let pending: Uint8Array[] | undefined;
  let recordStart = FILE_HEADER_BYTES;
  let offset = FILE_HEADER_BYTES;
  const stop = (reason: 'truncated' | 'corrupt') => ({ records, stopped: { reason, offset: reason === 'truncated' ? recordStart : offset } });
  while (offset < file.length) {
    const blockLeft = BLOCK_BYTES - (offset % BLOCK_BYTES);
    if (blockLeft < CHUNK_HEADER_BYTES) {
      const padding = file.subarray(offset, offset + blockLeft);
      if (padding.some((byte) => byte !== 0)) return stop('corrupt');
      offset += blockLeft;
      continue;
    }
    if (!pending) recordStart = offset;
    if (offset + CHUNK_HEADER_BYTES > file.length) return stop('truncated');
    const length = view.getUint16(offset + 4, true);
    const type = file[offset + 6]!;
    if (CHUNK_HEADER_BYTES + length > blockLeft) return stop('corrupt');
    if (offset + CHUNK_HEADER_BYTES + length > file.length) return stop('truncated');
    if (view.getUint32(offset, true) !== crc32(file.subarray(offset + 6, offset + CHUNK_HEADER_BYTES + length))) return stop('corrupt');
    const data = file.subarray(offset + CHUNK_HEADER_BYTES, offset + CHUNK_HEADER_BYTES + length);
    const starts = type === ChunkType.full || type === ChunkType.first;
    if (starts === (pending !== undefined) || type < ChunkType.full || type > ChunkType.last) return stop('corrupt');
    offset += CHUNK_HEADER_BYTES + length;
    if (type === ChunkType.full) records.push(data);
    else if (type === ChunkType.first) pending = [data];
    else pending!.push(data);
    if (type === ChunkType.last) {
      records.push(concatBytes(pending!));
      pending = undefined;
    }
  }
  return pending ? stop('truncated') : { records };
}

function checkFileHeader(file: Uint8Array): void {
  const ident = new TextDecoder().decode(file.subarray(0, 4));
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < FILE_HEADER_BYTES || ident !== WANDB_LOG_IDENT || view.getUint16(4, true) !== WANDB_LOG_MAGIC) {
    throw new Error(`not a W&B transaction log: it does not start with "${WANDB_LOG_IDENT}" and magic 0x${WANDB_LOG_MAGIC.toString(16)}`);
  }
  if (file[6] !== WANDB_LOG_VERSION) throw new Error(`W&B transaction log version ${file[6]}; this reader knows version ${WANDB_LOG_VERSION}`);
}

/** Plain Uint8Array (not Buffer), so that records compare equal to the payloads written. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
