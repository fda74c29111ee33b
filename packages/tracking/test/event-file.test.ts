import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../src/tensorboard/event-decoding.js';
import { encodeEvent } from '../src/tensorboard/event-encoding.js';
import { readEventFile } from '../src/tensorboard/event-file-reader.js';
import { EventFileWriter } from '../src/tensorboard/event-file-writer.js';
import { frameRecord, scanRecords } from '../src/tensorboard/tfrecord.js';

/**
 * The first 290 bytes of an event file written by TensorFlow 2 itself (`tf.summary.scalar("my_metric",
 * 0.5 * step, step=step)` for steps 0..99 under `tf.summary.create_file_writer`), published as test
 * data of the Go project orktes/go-tensorboard (testdata/tfevents/...). No TensorBoard, TensorFlow or
 * tensorboardX can be installed here (neither Debian nor the npm registry has them), so this excerpt is
 * the cross-check against a real implementation: the version record, three complete scalar records (steps 0, 1, 2) and
 * the first 51 of the 67 bytes of the fifth, cut as a killed writer would leave it.
 */
const TENSORFLOW_EXCERPT = Buffer.from(
  '1800000000000000a37f4b2209000080eb32a0d7411a0d627261696e2e4576656e743a32af5dfc923100000000000000' +
    '9d8383e909ca8988eb32a0d7412a260a240a096d795f6d6574726963420a080112002204000000004a0b0a090a077363' +
    '616c6172736e649f6933000000000000000ca7205609ac8e88eb32a0d74110012a260a240a096d795f6d657472696342' +
    '0a0801120022040000003f4a0b0a090a077363616c617273e625900333000000000000000ca72056098e9288eb32a0d7' +
    '4110022a260a240a096d795f6d6574726963420a0801120022040000803f4a0b0a090a077363616c617273e718b81933' +
    '000000000000000ca72056095b9688eb32a0d74110032a260a240a096d795f6d6574726963420a0801120022040000c0' +
    '3f4a',
  'hex',
);

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-tfevents-'));

describe('event files written by TensorFlow', () => {
  it('read back record by record: version, then my_metric = 0.5·step as TF2 tensor scalars', () => {
    const scan = scanRecords(TENSORFLOW_EXCERPT);
    const events = scan.records.map(decodeEvent);
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', step: 0, values: [] });
    expect(events.slice(1).map((e) => [e.step, e.values])).toEqual([
      [0, [{ tag: 'my_metric', kind: 'scalar', value: 0 }]],
      [1, [{ tag: 'my_metric', kind: 'scalar', value: 0.5 }]],
      [2, [{ tag: 'my_metric', kind: 'scalar', value: 1 }]],
    ]);
    expect(events[1]!.wallTime).toBeCloseTo(1585499054.13341, 5);
    // The fifth record (step 3) is incomplete: it is left out, and where reading stopped is reported.
    expect(scan.stopped).toEqual({ reason: 'truncated', offset: 239 });
  });

  it("our version record is byte for byte TensorFlow's, framing and checksums included", () => {
    const tensorflowFirst = TENSORFLOW_EXCERPT.subarray(0, 40);
    const wallTime = decodeEvent(scanRecords(tensorflowFirst).records[0]!).wallTime;
    const ours = frameRecord(encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2', values: [] }));
    expect(Buffer.from(ours).toString('hex')).toBe(tensorflowFirst.toString('hex'));
  });
});

describe('TFRecord framing', () => {
  it('reads every complete record of a file cut at any byte, and flags the cut', () => {
    const records = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300).fill(7)].map(frameRecord);
    const file = Buffer.concat(records);
    const ends = records.reduce<number[]>((acc, r) => [...acc, (acc.at(-1) ?? 0) + r.length], []);
    for (let cut = 0; cut <= file.length; cut++) {
      const scan = scanRecords(file.subarray(0, cut));
      const complete = ends.filter((end) => end <= cut).length;
      expect(scan.records.length).toBe(complete);
      if (ends.includes(cut) || cut === 0) expect(scan.stopped).toBeUndefined();
      else expect(scan.stopped).toEqual({ reason: 'truncated', offset: ends[complete - 1] ?? 0 });
    }
  });

  it('stops at a damaged record, in its length or its data, keeping the records before it', () => {
    const file = Buffer.concat([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)].map(frameRecord));
    for (const offset of [19 + 2, 19 + 14]) {
      const damaged = Buffer.from(file);
      damaged[offset]! ^= 0x01;
      const scan = scanRecords(damaged);
      expect(scan.records.map((r) => [...r])).toEqual([[1, 2, 3]]);
      expect(scan.stopped).toEqual({ reason: 'corrupt', offset: 19 });
    }
  });
});

describe('EventFileWriter', () => {
  it('names its file events.out.tfevents.<seconds>.<host>... and writes scalars, text, images and histograms that read back', () => {
    const dir = tmp();
    const before = Math.floor(Date.now() / 1000);
    const writer = new EventFileWriter({ dir });
    writer.scalar('loss', 0.1, 3);
    writer.scalar('loss', -2.5e-7, 2 ** 40);
    writer.text('note', 'hello *world*', 4);
    writer.image('picture', { width: 1, height: 1, png: Uint8Array.of(1, 2) }, 5);
    const histogram = { min: 0, max: 1, num: 3, sum: 1.5, sumSquares: 1.25, bucketLimits: [0.5, 1], bucketCounts: [1, 2] };
    writer.histogram('h', histogram, 6);
    writer.close();
    const match = /^events\.out\.tfevents\.(\d+)\.(.+)$/.exec(basename(writer.path));
    expect(Number(match![1])).toBeGreaterThanOrEqual(before);
    const { events, stopped } = readEventFile(writer.path);
    expect(stopped).toBeUndefined();
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    expect(events.slice(1).map((e) => [e.step, e.values[0]])).toEqual([
      [3, { tag: 'loss', kind: 'scalar', value: Math.fround(0.1) }],
      [2 ** 40, { tag: 'loss', kind: 'scalar', value: Math.fround(-2.5e-7) }],
      [4, { tag: 'note', kind: 'text', text: 'hello *world*' }],
      [5, { tag: 'picture', kind: 'image', width: 1, height: 1, png: Uint8Array.of(1, 2) }],
      [6, { tag: 'h', kind: 'histogram', histogram }],
    ]);
  });

  it('throws the write error on flush (a full disk), so its owner can switch it off', () => {
    const dir = tmp();
    symlinkSync('/dev/full', join(dir, 'events.out.tfevents.full'));
    const writer = new EventFileWriter({ dir, fileName: 'events.out.tfevents.full' });
    writer.scalar('loss', 1, 1);
    expect(() => writer.flush()).toThrow(/ENOSPC/);
  });

  it('leaves a file that a reader takes up to its last complete record when the writer dies mid-record', () => {
    const dir = tmp();
    const writer = new EventFileWriter({ dir });
    for (let step = 1; step <= 5; step++) writer.scalar('x', step, step);
    writer.close();
    const bytes = readFileSync(writer.path);
    writeFileSync(writer.path, bytes.subarray(0, bytes.length - 7));
    const { events, stopped } = readEventFile(writer.path);
    expect(events.slice(1).map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(stopped?.reason).toBe('truncated');
  });
});
