import { describe, expect, it } from 'vitest';
import { readFields } from '../src/protobuf/wire-reader.js';
import { decodeWandbRecord } from '../src/wandb/record-decoding.js';
import { encodeWandbRecord } from '../src/wandb/record-encoding.js';
import {
  HeaderRecordField,
  HistoryRecordField,
  HistoryStepField,
  ItemField,
  RecordField,
  RunExitRecordField,
  RunRecordField,
  TimestampField,
  UpdateRecordField,
  VersionInfoField,
  type WandbRecord,
} from '../src/wandb/record-schema.js';

describe('W&B record schema', () => {
  it('uses the field numbers of wandb_internal.proto', () => {
    // From wandb/proto/wandb_internal.proto (message Record and the messages it holds).
    expect(RecordField).toEqual({ num: 1, history: 2, summary: 3, config: 5, run: 17, exit: 18, final: 20, header: 21 });
    expect(RunRecordField).toEqual({ runId: 1, entity: 2, project: 3, config: 4, displayName: 8, tags: 10, host: 13, startTime: 17 });
    expect(HistoryRecordField).toEqual({ item: 1, step: 2 });
    expect(HistoryStepField).toEqual({ num: 1 });
    expect(UpdateRecordField).toEqual({ update: 1 });
    expect(ItemField).toEqual({ key: 1, valueJson: 16 });
    expect(RunExitRecordField).toEqual({ exitCode: 1, runtime: 2 });
    expect(HeaderRecordField).toEqual({ versionInfo: 1 });
    expect(VersionInfoField).toEqual({ producer: 1 });
    expect(TimestampField).toEqual({ seconds: 1, nanos: 2 });
  });

  it('encodes a history record byte for byte: num, then the record under field 2 with items and the step', () => {
    const bytes = encodeWandbRecord(3, { kind: 'history', step: 1, items: [{ key: 'a', valueJson: '1' }] });
    // HistoryItem: key (1:"a") = 0a 01 61, value_json (16:"1") = key 0x82 0x01, length 1, "1".
    const item = [0x0a, 0x01, 0x61, 0x82, 0x01, 0x01, 0x31];
    const history = [0x0a, item.length, ...item, 0x12, 0x02, 0x08, 0x01];
    expect([...bytes]).toEqual([0x08, 0x03, 0x12, history.length, ...history]);
  });

  it('puts each kind in its oneof field of Record', () => {
    const fieldOf = (record: WandbRecord) => readFields(encodeWandbRecord(1, record)).map((f) => f.field);
    expect(fieldOf({ kind: 'header', producer: 'selfkd' })).toEqual([RecordField.num, RecordField.header]);
    expect(fieldOf({ kind: 'final' })).toEqual([RecordField.num, RecordField.final]);
    expect(fieldOf({ kind: 'exit', exitCode: 1, runtimeSeconds: 2 })).toEqual([RecordField.num, RecordField.exit]);
    expect(fieldOf({ kind: 'summary', update: [] })).toEqual([RecordField.num, RecordField.summary]);
    expect(fieldOf({ kind: 'config', update: [] })).toEqual([RecordField.num, RecordField.config]);
  });

  it('decodes every kind it encodes back to the same values', () => {
    const records: WandbRecord[] = [
      { kind: 'header', producer: 'selfkd' },
      {
        kind: 'run',
        run: {
          runId: 'abc123xy',
          project: 'kd',
          entity: 'lab',
          displayName: 'quick/start',
          tags: ['a', 'b'],
          host: 'box',
          startTime: 1_700_000_000_123.5,
          config: [{ key: 'train', valueJson: '{"epochs":2}' }, { key: 'seed', valueJson: '0' }],
        },
      },
      { kind: 'config', update: [{ key: 'é', valueJson: '"ü"' }] },
      { kind: 'history', step: 2 ** 40, items: [{ key: 'test/top1', valueJson: '0.75' }] },
      { kind: 'summary', update: [{ key: 'x', valueJson: '-1e-7' }] },
      { kind: 'exit', exitCode: -2, runtimeSeconds: 61 },
      { kind: 'final' },
    ];
    records.forEach((record, i) => expect(decodeWandbRecord(encodeWandbRecord(i + 1, record))).toEqual({ num: i + 1, ...record }));
  });

  it('reports a kind it does not write by its field number', () => {
    // Record{num: 4, output (field 4): {}}
    expect(decodeWandbRecord(Uint8Array.of(0x08, 0x04, 0x22, 0x00))).toEqual({ num: 4, kind: 'other', field: 4 });
  });
});
