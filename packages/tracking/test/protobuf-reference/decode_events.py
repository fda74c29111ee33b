"""Decodes a TensorBoard event file with Google's protobuf library (Debian's python3-protobuf).

The message types are declared here from the field numbers of TensorFlow's event.proto,
summary.proto, histogram.proto, tensor.proto and tensor_shape.proto, and built at run time by
protobuf's own descriptor machinery, so the bytes selfkd writes are parsed by a protobuf
implementation that shares no code with selfkd's. Prints every event as JSON (protobuf's JSON
mapping: camelCase names, int64 as strings, bytes as base64). Usage: decode_events.py FILE
"""
import json
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

F = descriptor_pb2.FieldDescriptorProto


def message(name, fields, nested=()):
    proto = descriptor_pb2.DescriptorProto(name=name)
    for field_name, number, kind, extra in fields:
        field = proto.field.add(name=field_name, number=number, type=kind, label=extra.get("label", F.LABEL_OPTIONAL))
        if "type_name" in extra:
            field.type_name = extra["type_name"]
        if extra.get("packed"):
            field.options.packed = True
    proto.nested_type.extend(nested)
    return proto


REPEATED = {"label": F.LABEL_REPEATED}
file = descriptor_pb2.FileDescriptorProto(name="tensorboard_events.proto", package="tb", syntax="proto3")
file.message_type.extend([
    message("TensorShapeProto", [("dim", 2, F.TYPE_MESSAGE, {**REPEATED, "type_name": ".tb.TensorShapeProto.Dim"})],
            [message("Dim", [("size", 1, F.TYPE_INT64, {}), ("name", 2, F.TYPE_STRING, {})])]),
    message("TensorProto", [
        ("dtype", 1, F.TYPE_INT32, {}),
        ("tensor_shape", 2, F.TYPE_MESSAGE, {"type_name": ".tb.TensorShapeProto"}),
        ("tensor_content", 4, F.TYPE_BYTES, {}),
        ("float_val", 5, F.TYPE_FLOAT, {**REPEATED, "packed": True}),
        ("double_val", 6, F.TYPE_DOUBLE, {**REPEATED, "packed": True}),
        ("string_val", 8, F.TYPE_BYTES, REPEATED),
    ]),
    message("HistogramProto", [
        ("min", 1, F.TYPE_DOUBLE, {}), ("max", 2, F.TYPE_DOUBLE, {}), ("num", 3, F.TYPE_DOUBLE, {}),
        ("sum", 4, F.TYPE_DOUBLE, {}), ("sum_squares", 5, F.TYPE_DOUBLE, {}),
        ("bucket_limit", 6, F.TYPE_DOUBLE, {**REPEATED, "packed": True}),
        ("bucket", 7, F.TYPE_DOUBLE, {**REPEATED, "packed": True}),
    ]),
    message("SummaryMetadata", [
        ("plugin_data", 1, F.TYPE_MESSAGE, {"type_name": ".tb.SummaryMetadata.PluginData"}),
        ("display_name", 2, F.TYPE_STRING, {}),
        ("summary_description", 3, F.TYPE_STRING, {}),
        ("data_class", 4, F.TYPE_INT32, {}),
    ], [message("PluginData", [("plugin_name", 1, F.TYPE_STRING, {}), ("content", 2, F.TYPE_BYTES, {})])]),
    message("Summary", [("value", 1, F.TYPE_MESSAGE, {**REPEATED, "type_name": ".tb.Summary.Value"})], [
        message("Image", [("height", 1, F.TYPE_INT32, {}), ("width", 2, F.TYPE_INT32, {}),
                          ("colorspace", 3, F.TYPE_INT32, {}), ("encoded_image_string", 4, F.TYPE_BYTES, {})]),
        message("Value", [
            ("tag", 1, F.TYPE_STRING, {}),
            ("simple_value", 2, F.TYPE_FLOAT, {}),
            ("image", 4, F.TYPE_MESSAGE, {"type_name": ".tb.Summary.Image"}),
            ("histo", 5, F.TYPE_MESSAGE, {"type_name": ".tb.HistogramProto"}),
            ("tensor", 8, F.TYPE_MESSAGE, {"type_name": ".tb.TensorProto"}),
            ("metadata", 9, F.TYPE_MESSAGE, {"type_name": ".tb.SummaryMetadata"}),
        ]),
    ]),
    message("Event", [
        ("wall_time", 1, F.TYPE_DOUBLE, {}),
        ("step", 2, F.TYPE_INT64, {}),
        ("file_version", 3, F.TYPE_STRING, {}),
        ("summary", 5, F.TYPE_MESSAGE, {"type_name": ".tb.Summary"}),
    ]),
])

pool = descriptor_pool.DescriptorPool()
pool.Add(file)
Event = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tb.Event"))

data = open(sys.argv[1], "rb").read()
events = []
offset = 0
while offset + 12 <= len(data):
    (length,) = struct.unpack_from("<Q", data, offset)
    event = Event()
    # ParseFromString rejects bytes that are not a valid Event: unknown wire types, overruns.
    event.ParseFromString(data[offset + 12: offset + 12 + length])
    if event.UnknownFields():
        raise SystemExit(f"record at {offset}: fields this schema does not declare")
    events.append(json_format.MessageToDict(event))
    offset += 12 + length + 4
if offset != len(data):
    raise SystemExit(f"{len(data) - offset} trailing bytes after the last record")
print(json.dumps(events))
