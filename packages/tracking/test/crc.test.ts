import { describe, expect, it } from 'vitest';
import { crc32, crc32c, maskedCrc32c } from '../src/crc.js';

const bytes = (length: number, at: (i: number) => number) => Uint8Array.from({ length }, (_, i) => at(i));

describe('CRC-32C', () => {
  // RFC 3720 (iSCSI), appendix B.4: the CRC is shown there as it goes on the wire, little-endian.
  it.each([
    ['32 bytes of zeros', bytes(32, () => 0), 0x8a9136aa],
    ['32 bytes of 0xff', bytes(32, () => 0xff), 0x62a8ab43],
    ['32 incrementing bytes 00..1f', bytes(32, (i) => i), 0x46dd794e],
    ['32 decrementing bytes 1f..00', bytes(32, (i) => 31 - i), 0x113fdb5c],
  ])('matches RFC 3720 B.4 for %s', (_name, input, expected) => {
    expect(crc32c(input)).toBe(expected);
  });

  it('matches the RFC 3720 B.4 iSCSI read command PDU', () => {
    const pdu = new Uint8Array(48);
    for (const [offset, byte] of [[0, 0x01], [1, 0xc0], [16, 0x14], [22, 0x04], [27, 0x14], [31, 0x18], [32, 0x28], [40, 0x02]] as const) pdu[offset] = byte;
    expect(crc32c(pdu)).toBe(0xd9963a56);
  });

  it('gives the catalogued check value of "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('masks as TFRecord does: rotate right 15, add 0xa282ead8 (value checked on a TensorFlow-written record header)', () => {
    // The first record of a TensorFlow 2 event file: length 24, masked CRC bytes a3 7f 4b 22.
    expect(maskedCrc32c(Uint8Array.of(0x18, 0, 0, 0, 0, 0, 0, 0))).toBe(0x224b7fa3);
  });
});

describe('CRC-32 (IEEE, for PNG chunks)', () => {
  it('gives the catalogued check value of "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('matches the CRC every PNG file carries for its IEND chunk', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});
