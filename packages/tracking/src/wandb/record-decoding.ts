import { readFields, type ProtoField } from '../protobuf/wire-reader.js';
import { WireType } from '../protobuf/wire-writer.js';
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
  type WandbItem,
  type WandbRecord,
} from './record-schema.js';

/** A record of a kind selfkd does not write (W&B's own runs hold many): its field number only. */
export interface OtherWandbRecord {
  kind: 'other';
  field: number;
}

export type DecodedWandbRecord = (WandbRecord | OtherWandbRecord) & { num: number };

const UTF8 = new TextDecoder();

/** Reads one `wandb_internal.Record` back; the inverse of encodeWandbRecord for the kinds it writes. */
export function decodeWandbRecord(bytes: Uint8Array): DecodedWandbRecord {
  const fields = readFields(bytes);
  const num = Number(varint(fields, RecordField.num) ?? 0n);
  const body = fields.find((f) => f.field !== RecordField.num && f.wireType === WireType.lengthDelimited);
  if (!body || body.wireType !== WireType.lengthDelimited) return { num, kind: 'other', field: 0 };
  const inner = readFields(body.value);
  switch (body.field) {
    case RecordField.header: {
      const version = message(inner, HeaderRecordField.versionInfo);
      return { num, kind: 'header', producer: version ? (string(readFields(version), VersionInfoField.producer) ?? '') : '' };
    }
    case RecordField.run: {
      const config = message(inner, RunRecordField.config);
      const start = message(inner, RunRecordField.startTime);
      const time = start ? readFields(start) : [];
      const entity = string(inner, RunRecordField.entity);
      const displayName = string(inner, RunRecordField.displayName);
      const host = string(inner, RunRecordField.host);
      return {
        num,
        kind: 'run',
        run: {
          runId: string(inner, RunRecordField.runId) ?? '',
          project: string(inner, RunRecordField.project) ?? '',
          ...(entity === undefined ? {} : { entity }),
          ...(displayName === undefined ? {} : { displayName }),
          tags: strings(inner, RunRecordField.tags),
          ...(host === undefined ? {} : { host }),
          startTime: Number(varint(time, TimestampField.seconds) ?? 0n) * 1000 + Number(varint(time, TimestampField.nanos) ?? 0n) / 1e6,
          config: config ? items(readFields(config), UpdateRecordField.update) : [],
        },
      };
    }
    case RecordField.config:
      return { num, kind: 'config', update: items(inner, UpdateRecordField.update) };
    case RecordField.history: {
      const step = message(inner, HistoryRecordField.step);
      return { num, kind: 'history', step: Number((step && varint(readFields(step), HistoryStepField.num)) ?? 0n), items: items(inner, HistoryRecordField.item) };
    }
    case RecordField.summary:
      return { num, kind: 'summary', update: items(inner, UpdateRecordField.update) };
    case RecordField.exit:
      return {
        num,
        kind: 'exit',
        // int32 fields carry negative values as 64-bit two's complement.
        exitCode: Number(BigInt.asIntN(32, varint(inner, RunExitRecordField.exitCode) ?? 0n)),
        runtimeSeconds: Number(varint(inner, RunExitRecordField.runtime) ?? 0n),
      };
    case RecordField.final:
      return { num, kind: 'final' };
    default:
      return { num, kind: 'other', field: body.field };
  }
}

function last(fields: readonly ProtoField[], field: number): ProtoField | undefined {
  return fields.findLast((f) => f.field === field);
}

function varint(fields: readonly ProtoField[], field: number): bigint | undefined {
  const f = last(fields, field);
  return f?.wireType === WireType.varint ? f.value : undefined;
}

function message(fields: readonly ProtoField[], field: number): Uint8Array | undefined {
  const f = last(fields, field);
  return f?.wireType === WireType.lengthDelimited ? f.value : undefined;
}

function string(fields: readonly ProtoField[], field: number): string | undefined {
  const bytes = message(fields, field);
  return bytes && UTF8.decode(bytes);
}

function strings(fields: readonly ProtoField[], field: number): string[] {
  return fields.flatMap((f) => (f.field === field && f.wireType === WireType.lengthDelimited ? [UTF8.decode(f.value)] : []));
}

function items(fields: readonly ProtoField[], field: number): WandbItem[] {
  return fields
    .filter((f) => f.field === field && f.wireType === WireType.lengthDelimited)
    .map((f) => {
      const item = readFields(f.value as Uint8Array);
      return { key: string(item, ItemField.key) ?? '', valueJson: string(item, ItemField.valueJson) ?? '' };
    });
}
