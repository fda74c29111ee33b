"""Reads a W&B transaction log (run-<id>.wandb) independently of selfkd's TypeScript reader.

The framing is checked here from W&B's format description: the 7-byte header (":W&B", magic
0xBEE1 little-endian, version 0); 32 KiB blocks counted from the start of the file; chunks of
uint32 checksum + uint16 length + uint8 type (1 full, 2 first, 3 middle, 4 last) + data; a block
tail shorter than 7 bytes is zeros; the checksum is zlib's CRC-32 of the type byte followed by
the data, as wandb/sdk/internal/datastore.py computes it.

Each record is then parsed by Google's protobuf library (Debian's python3-protobuf) as a
`wandb_internal.Record`, declared below from the field numbers of W&B's wandb_internal.proto for
the messages selfkd writes, and built by protobuf's own descriptor machinery. A field this schema
does not declare is an error. Prints the records as JSON with W&B's field names.
Usage: decode_wandb.py FILE
"""
import json
import struct
import sys
import zlib

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

F = descriptor_pb2.FieldDescriptorProto
REPEATED = {"label": F.LABEL_REPEATED}
BLOCK = 32768
CHUNK_HEADER = 7


def message(name, fields):
    proto = descriptor_pb2.DescriptorProto(name=name)
    for field_name, number, kind, extra in fields:
        field = proto.field.add(name=field_name, number=number, type=kind, label=extra.get("label", F.LABEL_OPTIONAL))
        if "type_name" in extra:
            field.type_name = ".wandb_internal." + extra["type_name"]
        if "oneof" in extra:
            field.oneof_index = 0
    if any("oneof" in extra for *_, extra in fields):
        proto.oneof_decl.add(name="record_type")
    return proto


def of(type_name, **extra):
    return {"type_name": type_name, **extra}


def item(name):
    return message(name, [("key", 1, F.TYPE_STRING, {}), ("nested_key", 2, F.TYPE_STRING, REPEATED), ("value_json", 16, F.TYPE_STRING, {})])


file = descriptor_pb2.FileDescriptorProto(name="wandb_records.proto", package="wandb_internal", syntax="proto3")
file.message_type.extend([
    message("Timestamp", [("seconds", 1, F.TYPE_INT64, {}), ("nanos", 2, F.TYPE_INT32, {})]),
    item("HistoryItem"), item("ConfigItem"), item("SummaryItem"),
    message("HistoryStep", [("num", 1, F.TYPE_INT64, {})]),
    message("HistoryRecord", [("item", 1, F.TYPE_MESSAGE, of("HistoryItem", **REPEATED)), ("step", 2, F.TYPE_MESSAGE, of("HistoryStep"))]),
    message("ConfigRecord", [("update", 1, F.TYPE_MESSAGE, of("ConfigItem", **REPEATED)), ("remove", 2, F.TYPE_MESSAGE, of("ConfigItem", **REPEATED))]),
    message("SummaryRecord", [("update", 1, F.TYPE_MESSAGE, of("SummaryItem", **REPEATED)), ("remove", 2, F.TYPE_MESSAGE, of("SummaryItem", **REPEATED))]),
    message("RunRecord", [
        ("run_id", 1, F.TYPE_STRING, {}), ("entity", 2, F.TYPE_STRING, {}), ("project", 3, F.TYPE_STRING, {}),
        ("config", 4, F.TYPE_MESSAGE, of("ConfigRecord")), ("summary", 5, F.TYPE_MESSAGE, of("SummaryRecord")),
        ("run_group", 6, F.TYPE_STRING, {}), ("job_type", 7, F.TYPE_STRING, {}), ("display_name", 8, F.TYPE_STRING, {}),
        ("notes", 9, F.TYPE_STRING, {}), ("tags", 10, F.TYPE_STRING, REPEATED), ("sweep_id", 12, F.TYPE_STRING, {}),
        ("host", 13, F.TYPE_STRING, {}), ("starting_step", 14, F.TYPE_INT64, {}), ("storage_id", 16, F.TYPE_STRING, {}),
        ("start_time", 17, F.TYPE_MESSAGE, of("Timestamp")), ("resumed", 18, F.TYPE_BOOL, {}), ("runtime", 20, F.TYPE_INT32, {}),
    ]),
    message("RunExitRecord", [("exit_code", 1, F.TYPE_INT32, {}), ("runtime", 2, F.TYPE_INT32, {})]),
    message("VersionInfo", [("producer", 1, F.TYPE_STRING, {}), ("min_consumer", 2, F.TYPE_STRING, {})]),
    message("HeaderRecord", [("version_info", 1, F.TYPE_MESSAGE, of("VersionInfo"))]),
    message("FinalRecord", []),
    message("Record", [
        ("num", 1, F.TYPE_INT64, {}),
        ("history", 2, F.TYPE_MESSAGE, of("HistoryRecord", oneof=True)),
        ("summary", 3, F.TYPE_MESSAGE, of("SummaryRecord", oneof=True)),
        ("config", 5, F.TYPE_MESSAGE, of("ConfigRecord", oneof=True)),
        ("run", 17, F.TYPE_MESSAGE, of("RunRecord", oneof=True)),
        ("exit", 18, F.TYPE_MESSAGE, of("RunExitRecord", oneof=True)),
        ("final", 20, F.TYPE_MESSAGE, of("FinalRecord", oneof=True)),
        ("header", 21, F.TYPE_MESSAGE, of("HeaderRecord", oneof=True)),
        ("uuid", 19, F.TYPE_STRING, {}),
    ]),
])

pool = descriptor_pool.DescriptorPool()
pool.Add(file)
Record = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("wandb_internal.Record"))


def chunks(data):
    """(type, payload) of every chunk, checking header, checksums and padding on the way."""
    ident, magic, version = struct.unpack_from("<4sHB", data, 0)
    if (ident, magic, version) != (b":W&B", 0xBEE1, 0):
        raise SystemExit(f"bad W&B header {ident!r} {magic:#x} {version}")
    offset = 7
    while offset < len(data):
        left = BLOCK - offset % BLOCK
        if left < CHUNK_HEADER:
            if data[offset:offset + left] != b"\0" * left:
                raise SystemExit(f"non-zero block padding at {offset}")
            offset += left
            continue
        checksum, length, kind = struct.unpack_from("<IHB", data, offset)
        if CHUNK_HEADER + length > left:
            raise SystemExit(f"chunk at {offset} crosses a block boundary")
        payload = data[offset + CHUNK_HEADER: offset + CHUNK_HEADER + length]
        if len(payload) != length:
            raise SystemExit(f"chunk at {offset} runs past the end of the file")
        if zlib.crc32(bytes([kind]) + payload) != checksum:
            raise SystemExit(f"chunk at {offset}: checksum mismatch")
        yield kind, payload
        offset += CHUNK_HEADER + length


def records(data):
    pending = None
    for kind, payload in chunks(data):
        if kind == 1 and pending is None:
            yield payload
        elif kind == 2 and pending is None:
            pending = payload
        elif kind in (3, 4) and pending is not None:
            pending += payload
            if kind == 4:
                yield pending
                pending = None
        else:
            raise SystemExit(f"chunk type {kind} out of order")
    if pending is not None:
        raise SystemExit("the file ends inside a record")


out = []
for payload in records(open(sys.argv[1], "rb").read()):
    record = Record()
    record.ParseFromString(payload)
    if record.UnknownFields():
        raise SystemExit("a record holds fields this schema does not declare")
    out.append(json_format.MessageToDict(record, preserving_proto_field_name=True))
print(json.dumps(out))
