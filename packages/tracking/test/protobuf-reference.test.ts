import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWithReference } from './support/protobuf-reference.js';
import { eventFilesIn, readEventFile } from '../src/tensorboard/event-file-reader.js';
import { EventFileWriter } from '../src/tensorboard/event-file-writer.js';
import { createTensorBoardReporter } from '../src/tensorboard/tensorboard-reporter.js';
import { simulateRun } from './support/simulated-run.js';

interface ReferenceEvent {
  wallTime?: number;
  step?: string;
  fileVersion?: string;
  summary?: { value: Record<string, unknown>[] };
}

const decodeWithProtobuf = (file: string) => decodeWithReference<ReferenceEvent[]>('decode_events.py', file);

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('event files parsed by Google protobuf', () => {
  it('every message kind selfkd writes parses to the fields TensorFlow defines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-protobuf-'));
    const writer = new EventFileWriter({ dir });
    writer.scalar('loss', 0.375, 2 ** 33);
    writer.text('note', 'héllo', 4);
    writer.image('picture', { width: 2, height: 1, png: Uint8Array.of(1, 2, 3) }, 5);
    writer.histogram('h', { min: -1, max: 1, num: 3, sum: 0.5, sumSquares: 1.25, bucketLimits: [0, 1], bucketCounts: [1, 2] }, 6);
    writer.close();
    const events = await decodeWithProtobuf(writer.path);
    expect(events[0]).toEqual({ wallTime: expect.any(Number), fileVersion: 'brain.Event:2' });
    expect(events.slice(1).map((e) => [e.step, e.summary!.value])).toEqual([
      [String(2 ** 33), [{ tag: 'loss', simpleValue: 0.375 }]],
      [
        '4',
        [
          {
            tag: 'note',
            metadata: { pluginData: { pluginName: 'text' }, dataClass: 2 },
            tensor: { dtype: 7, tensorShape: {}, stringVal: [base64(Buffer.from('héllo'))] },
          },
        ],
      ],
      ['5', [{ tag: 'picture', image: { height: 1, width: 2, colorspace: 3, encodedImageString: base64(Uint8Array.of(1, 2, 3)) } }]],
      ['6', [{ tag: 'h', histo: { min: -1, max: 1, num: 3, sum: 0.5, sumSquares: 1.25, bucketLimit: [0, 1], bucket: [1, 2] } }]],
    ]);
    expect(Math.abs(events[1]!.wallTime! - Date.now() / 1000)).toBeLessThan(600);
  });

  it("a whole run's file reads the same through Google protobuf as through selfkd's reader", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-protobuf-'));
    simulateRun(createTensorBoardReporter({ dir }, { runName: 'r', config: { seed: 1 } }));
    const file = eventFilesIn(dir)[0]!;
    const reference = await decodeWithProtobuf(file);
    const ours = readEventFile(file).events;
    expect(reference).toHaveLength(ours.length);
    reference.forEach((event, i) => {
      expect(Number(event.step ?? 0)).toBe(ours[i]!.step);
      expect(event.wallTime).toBe(ours[i]!.wallTime);
      const tags = (event.summary?.value ?? []).map((v) => v.tag);
      expect(tags).toEqual(ours[i]!.values.map((v) => v.tag));
      (event.summary?.value ?? []).forEach((value, k) => {
        const mine = ours[i]!.values[k]!;
        // protobuf's JSON prints a float32 in its shortest form (1.1 for 1.100000023841858).
        if (mine.kind === 'scalar') expect(Math.fround(value.simpleValue as number)).toBe(mine.value);
        if (mine.kind === 'image') expect((value.image as { encodedImageString: string }).encodedImageString).toBe(base64(mine.png));
      });
    });
  });
});
