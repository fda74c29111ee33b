import { describe, expect, it } from 'vitest';
import {
  BLOCK_BYTES,
  concatBytes,
  CHUNK_HEADER_BYTES,
  ChunkType,
  FILE_HEADER_BYTES,
  frameWandbRecord,
  scanWandbLog,
  wandbLogHeader,
} from '../src/wandb/leveldb-log.js';

/** A log of the given payloads, framed one after another behind the file header. */
function logOf(payloads: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [wandbLogHeader()];
  let length = FILE_HEADER_BYTES;
  for (const payload of payloads) {
    const framed = frameWandbRecord(payload, length);
    parts.push(framed);
    length += framed.length;
  }
  return concatBytes(parts);
}

/** Records as hex strings: compared far faster than element by element, and as strictly. */
const hex = (records: readonly Uint8Array[]) => records.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString('hex'));

/** Bytes 0, 1, 2, ... mod 251 (a prime, so that no chunk of a long payload repeats another). */
const payload = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i + seed) % 251);

/** The chunks of a framed log as [file offset, type, length], walked from the format's rules. */
function chunksOf(log: Uint8Array): [number, number, number][] {
  const view = new DataView(log.buffer, log.byteOffset, log.byteLength);
  const chunks: [number, number, number][] = [];
  for (let offset = FILE_HEADER_BYTES; offset < log.length; ) {
    const left = BLOCK_BYTES - (offset % BLOCK_BYTES);
    if (left < CHUNK_HEADER_BYTES) {
      offset += left;
      continue;
    }
    const length = view.getUint16(offset + 4, true);
    chunks.push([offset, log[offset + 6]!, length]);
    offset += CHUNK_HEADER_BYTES + length;
  }
  return chunks;
}

describe('W&B transaction log framing', () => {
  it('starts with ":W&B", magic 0xBEE1 little-endian and version 0', () => {
    expect([...wandbLogHeader()]).toEqual([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0]);
  });

  it('frames a short record as one FULL chunk whose checksum is the IEEE CRC-32 of the type byte and the data', () => {
    const framed = frameWandbRecord(new TextEncoder().encode('abc'), FILE_HEADER_BYTES);
    // zlib.crc32(b"\x01abc") in Python is 0x539d20a9; the length is 3, the type FULL.
    expect([...framed]).toEqual([0xa9, 0x20, 0x9d, 0x53, 3, 0, ChunkType.full, 0x61, 0x62, 0x63]);
  });

  it('splits a record across blocks as FIRST, MIDDLE..., LAST, each chunk filling its block', () => {
    const big = payload(3 * BLOCK_BYTES);
    const log = logOf([payload(10), big]);
    const chunks = chunksOf(log);
    expect(chunks.map(([, type]) => type)).toEqual([ChunkType.full, ChunkType.first, ChunkType.middle, ChunkType.middle, ChunkType.last]);
    const firstRoom = BLOCK_BYTES - FILE_HEADER_BYTES - (CHUNK_HEADER_BYTES + 10) - CHUNK_HEADER_BYTES;
    expect(chunks[1]).toEqual([FILE_HEADER_BYTES + CHUNK_HEADER_BYTES + 10, ChunkType.first, firstRoom]);
    expect(chunks[2]).toEqual([BLOCK_BYTES, ChunkType.middle, BLOCK_BYTES - CHUNK_HEADER_BYTES]);
    expect(chunks[3]![0]).toBe(2 * BLOCK_BYTES);
    expect(chunks.reduce((n, [, , length]) => n + length, 0)).toBe(10 + big.length);
    expect(hex(scanWandbLog(log).records)).toEqual(hex([payload(10), big]));
  });

  it('zero-fills a block tail too short for a chunk header, and starts the next record in the next block', () => {
    // A first record that leaves 3 bytes in block 0.
    const first = payload(BLOCK_BYTES - FILE_HEADER_BYTES - CHUNK_HEADER_BYTES - 3);
    const log = logOf([first, payload(5, 7)]);
    expect([...log.subarray(BLOCK_BYTES - 3, BLOCK_BYTES)]).toEqual([0, 0, 0]);
    expect(chunksOf(log).map(([offset, type]) => [offset, type])).toEqual([
      [FILE_HEADER_BYTES, ChunkType.full],
      [BLOCK_BYTES, ChunkType.full],
    ]);
    expect(hex(scanWandbLog(log).records)).toEqual(hex([first, payload(5, 7)]));
  });

  it('writes an empty FIRST chunk where exactly a chunk header fits, as W&B does', () => {
    const first = payload(BLOCK_BYTES - FILE_HEADER_BYTES - 2 * CHUNK_HEADER_BYTES);
    const log = logOf([first, payload(20)]);
    expect(chunksOf(log).slice(1)).toEqual([
      [BLOCK_BYTES - CHUNK_HEADER_BYTES, ChunkType.first, 0],
      [BLOCK_BYTES, ChunkType.last, 20],
    ]);
    expect(hex(scanWandbLog(log).records)).toEqual(hex([first, payload(20)]));
  });

  it('round-trips records of every size around the block boundaries, and an empty record', () => {
    const sizes = [0, 1, BLOCK_BYTES - 21, BLOCK_BYTES - 14, BLOCK_BYTES - 7, BLOCK_BYTES, BLOCK_BYTES + 1, 70_000, 3];
    const payloads = sizes.map((n, i) => payload(n, i));
    const scan = scanWandbLog(logOf(payloads));
    expect(scan.stopped).toBeUndefined();
    expect(hex(scan.records)).toEqual(hex(payloads));
  });

  it('keeps the records before a truncation or a corrupt chunk and says where reading stopped', () => {
    const payloads = [payload(100), payload(BLOCK_BYTES + 50, 1), payload(30, 2)];
    const log = logOf(payloads);
    const [, second, , third] = chunksOf(log);

    const cutInsideSpanningRecord = scanWandbLog(log.subarray(0, BLOCK_BYTES + 10));
    expect(hex(cutInsideSpanningRecord.records)).toEqual(hex(payloads.slice(0, 1)));
    expect(cutInsideSpanningRecord.stopped).toEqual({ reason: 'truncated', offset: second![0] });

    const cutInsideHeader = scanWandbLog(log.subarray(0, third![0] + 3));
    expect(hex(cutInsideHeader.records)).toEqual(hex(payloads.slice(0, 2)));
    expect(cutInsideHeader.stopped).toEqual({ reason: 'truncated', offset: third![0] });

    const flipped = Uint8Array.from(log);
    flipped[third![0] + CHUNK_HEADER_BYTES + 5]! ^= 1;
    const corrupt = scanWandbLog(flipped);
    expect(hex(corrupt.records)).toEqual(hex(payloads.slice(0, 2)));
    expect(corrupt.stopped).toEqual({ reason: 'corrupt', offset: third![0] });
  });

  it('rejects a file that is not a W&B log, or of another store version', () => {
    expect(() => scanWandbLog(new TextEncoder().encode('brain.Event:2'))).toThrow(/not a W&B transaction log/);
    const other = Uint8Array.from(wandbLogHeader());
    other[6] = 1;
    expect(() => scanWandbLog(other)).toThrow(/version 1; this reader knows version 0/);
  });
});
