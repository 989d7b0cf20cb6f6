#!/usr/bin/python3
# Makes the payloads that tests/test-decoders.c decodes, with encoders
# Antenna did not write: python3-msgpack, python3-cbor2, protoc --encode and
# python3-protobuf (Debian's packages). Run at test time; nothing it makes
# is checked in.
#   make-fixtures.py OUTDIR SRCDIR SPARKPLUG_PROTO
# Writes OUTDIR/<name>.bin and OUTDIR/manifest.json: a list of
#   {"name", "decoder", "file", "expected" (JSON, Antenna's conventions:
#    bytes as Base64, NaN/±Infinity as strings, timestamps in RFC 3339,
#    non-string keys as their text), "message-type" (protobuf)}
#
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import datetime
import json
import math
import os
import struct
import subprocess
import sys

import cbor2
import msgpack

outdir, srcdir, sparkplug_proto = (os.path.abspath(p) for p in sys.argv[1:4])
manifest = []


def rfc3339(seconds, nanos):
    text = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos:
        text += ("." + "%09d" % nanos).rstrip("0")
    return text + "Z"


def expected(value):
    """A value as Antenna's JSON rendering writes it."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, msgpack.Timestamp):
        return rfc3339(value.seconds, value.nanoseconds)
    if isinstance(value, msgpack.ExtType):
        return base64.b64encode(value.data).decode()
    if isinstance(value, datetime.datetime):
        return rfc3339(int(value.timestamp()), value.microsecond * 1000)
    if isinstance(value, cbor2.CBORTag):
        return expected(value.value)
    if isinstance(value, (list, tuple)):
        return [expected(v) for v in value]
    if isinstance(value, dict):
        return {key_text(k): expected(v) for k, v in value.items()}
    raise TypeError(type(value))


def key_text(key):
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    e = expected(key)
    return e if isinstance(e, str) else json.dumps(e)


def add(name, decoder, data, value, **extra):
    path = os.path.join(outdir, name + ".bin")
    with open(path, "wb") as f:
        f.write(data)
    entry = {"name": name, "decoder": decoder, "file": path, "expected": value}
    entry.update(extra)
    manifest.append(entry)


# MessagePack

doc = {
    "int": 1, "neg": -5, "large": 2**62, "float": 1.5, "nan": float("nan"),
    "inf": float("inf"), "ninf": float("-inf"), "str": "h\u00e9llo \u65e5\u672c", "empty": "",
    "bin": b"\x00\xff\x10", "list": [1, "a", None, True, False], "nested": {"a": {"b": [1, 2]}},
    7: "an integer key", -1: "a negative key", True: "a boolean key",
    "ts": msgpack.Timestamp(1700000000, 500000000), "ts32": msgpack.Timestamp(1700000001, 0),
    "ts96": msgpack.Timestamp(-1, 250000000), "ext": msgpack.ExtType(5, b"xy"),
}
add("msgpack-types", "msgpack", msgpack.packb(doc, use_bin_type=True), expected(doc))
add("msgpack-array", "msgpack", msgpack.packb(list(range(1000))), list(range(1000)))
deep = 1
for _ in range(40):   # deeper than msgpack-c's 32-level stack
    deep = [deep]
add("msgpack-deep", "msgpack", msgpack.packb(deep), deep)
add("msgpack-float32", "msgpack", msgpack.packb([0.25, -2.5], use_single_float=True), [0.25, -2.5])

# CBOR

when = datetime.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=datetime.timezone.utc)
doc = {
    "int": 1, "neg": -5, "large": -(2**63), "float": 1.5, "nan": float("nan"), "inf": float("inf"),
    "str": "h\u00e9llo", "bytes": b"\x00\xff", "list": [1, "a", None, True], 7: "an integer key",
    b"\x01\x02": "a bytes key", "text-date": when, "epoch": cbor2.CBORTag(1, 1700000000),
    "epoch-float": cbor2.CBORTag(1, 1700000000.5), "tagged": cbor2.CBORTag(42, "x"),
    "bignum": cbor2.CBORTag(2, b"\x01\x00"), "undefined": None,
}
data = cbor2.dumps({k: (cbor2.undefined if k == "undefined" else v) for k, v in doc.items()})
exp = expected(doc)
exp["epoch"] = rfc3339(1700000000, 0)
exp["epoch-float"] = rfc3339(1700000000, 500000000)
exp["bignum"] = 256
add("cbor-types", "cbor", data, exp)
add("cbor-array", "cbor", cbor2.dumps(list(range(1000))), list(range(1000)))
deep = "x"
for _ in range(40):
    deep = {"k": deep}
add("cbor-deep", "cbor", cbor2.dumps(deep), deep)

# Protocol Buffers, by protoc from a text-format message

proto_dir = os.path.join(srcdir, "proto")
text = """
device: "sensor-7"
temperature: 21.5
humidity: 0.5
offset: -3
counter: 1234567890123
flags: 7
serial: 123456789
armed: true
raw: "\\000\\001\\377"
status: DEGRADED
unit: CELSIUS
location { latitude: 48.5 longitude: 2.25 }
samples: [1, -2, 300]
tags: ["a", "b"]
extra { key: "k1" value: 1.5 }
extra { key: "k2" value: -2 }
taken { seconds: 1700000000 nanos: 250000000 }
gateway: "gw-1"
negative: -42
"""
data = subprocess.run(["protoc", "-I", proto_dir, "-I", "/usr/include",
                       "--encode=acme.sensors.Reading", "reading.proto"],
                      input=text.encode(), capture_output=True, check=True, cwd=proto_dir).stdout
add("protobuf-reading", "protobuf", data, {
    "device": "sensor-7", "temperature": 21.5, "humidity": 0.5, "offset": -3,
    "counter": 1234567890123, "flags": 7, "serial": 123456789, "armed": True,
    "raw": base64.b64encode(b"\x00\x01\xff").decode(), "status": "DEGRADED", "unit": "CELSIUS",
    "location": {"latitude": 48.5, "longitude": 2.25}, "samples": [1, -2, 300], "tags": ["a", "b"],
    "extra": {"k1": 1.5, "k2": -2.0}, "taken": rfc3339(1700000000, 250000000), "gateway": "gw-1",
    "negative": -42,
}, **{"message-type": "acme.sensors.Reading"})

# Sparkplug B, by python3-protobuf from our schema compiled by protoc: the
# metric types sparkplug-payload (make-sparkplug.js) does not write.

subprocess.run(["protoc", "-I", os.path.dirname(sparkplug_proto), "--python_out=" + outdir,
                os.path.basename(sparkplug_proto)], check=True)
sys.path.insert(0, outdir)
import sparkplug_b_pb2 as spb  # noqa: E402

payload = spb.Payload(timestamp=1700000000000, seq=0)


def metric(name, alias, datatype, **value):
    m = payload.metrics.add(name=name, alias=alias, datatype=datatype, timestamp=1700000000123)
    for k, v in value.items():
        setattr(m, k, v)
    return m


metric("bdSeq", 0, spb.Int64, long_value=3)
metric("i8", 1, spb.Int8, int_value=(-5) & 0xff)
metric("i16", 2, spb.Int16, int_value=(-300) & 0xffffffff)
metric("u64", 3, spb.UInt64, long_value=2**63 + 5)
metric("i8s", 4, spb.Int8Array, bytes_value=struct.pack("<bb", -23, 123))
metric("i32s", 5, spb.Int32Array, bytes_value=struct.pack("<ii", 123456789, -987654321))
metric("u16s", 6, spb.UInt16Array, bytes_value=struct.pack("<HH", 1, 65535))
metric("floats", 7, spb.FloatArray, bytes_value=struct.pack("<ff", 1.5, -0.25))
metric("doubles", 8, spb.DoubleArray, bytes_value=struct.pack("<dd", 12.5, -1e300))
metric("bools", 9, spb.BooleanArray,
       bytes_value=struct.pack("<I", 12) + bytes([0b00110100, 0b11010000]))
metric("strings", 10, spb.StringArray, bytes_value=b"ABC\x00hello\x00")
metric("dates", 11, spb.DateTimeArray, bytes_value=struct.pack("<qq", 1700000000123, 0))
metric("when", 12, spb.DateTime, long_value=1700000000123)
m = metric("props", 13, spb.Double, double_value=2.5)
m.properties.keys.extend(["engUnit", "limits"])
m.properties.values.add(type=spb.String, string_value="\u00b0C")
limits = m.properties.values.add(type=spb.PropertySet)
limits.propertyset_value.keys.extend(["low"])
limits.propertyset_value.values.add(type=spb.Int32, int_value=(-10) & 0xffffffff)
m = metric("tmpl", 14, spb.Template)
m.template_value.template_ref = "Motor"
m.template_value.parameters.add(name="rpm", type=spb.UInt32, int_value=1500)
m.template_value.metrics.add(name="speed", datatype=spb.Float, float_value=0.5)
metric("nothing", 15, spb.String, is_null=True)

add("sparkplug-arrays", "sparkplug", payload.SerializeToString(), None,
    topic="spBv1.0/plant/NBIRTH/edge-py")

# The same arrays by protoc --encode, from the text form python-protobuf
# writes: two encoders of one schema must agree.
from google.protobuf import text_format  # noqa: E402

data = subprocess.run(["protoc", "-I", os.path.dirname(sparkplug_proto),
                       "--encode=org.eclipse.tahu.protobuf.Payload", os.path.basename(sparkplug_proto)],
                      input=text_format.MessageToString(payload).encode(),
                      capture_output=True, check=True).stdout
add("sparkplug-arrays-protoc", "sparkplug", data, None, topic="spBv1.0/plant/NBIRTH/edge-protoc")

with open(os.path.join(outdir, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, allow_nan=False)
