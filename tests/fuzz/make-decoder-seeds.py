#!/usr/bin/python3
# Writes the seed corpora of the payload decoders' harnesses
# (tests/fuzz/corpus/{msgpack,cbor,compressed,protobuf,proto-schema,sparkplug})
# with encoders Antenna did not write. The seeds are checked in, so that the
# harnesses run without these Python modules; run this again to remake them:
#   tests/fuzz/make-decoder-seeds.py
# Each binary seed starts with the harness's budget byte (fuzz-decoder.h):
# 0x00 for the default budgets, 0xa5 for tight ones; the sparkplug harness
# then has a topic byte.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import cbor2
import msgpack

top = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(top, "corpus")
schema = os.path.join(top, "..", "..", "src", "core", "schemas", "sparkplug_b.proto")


def write(harness, name, data):
    os.makedirs(os.path.join(corpus, harness), exist_ok=True)
    with open(os.path.join(corpus, harness, name), "wb") as f:
        f.write(data)


doc = {"n": 1, "f": 1.5, "nan": float("nan"), "s": "h\u00e9", "b": b"\x00\xff", "l": [1, None, True],
       7: "int key", "m": {"x": [1, 2, {"y": "z"}]}}
packed = msgpack.packb(dict(doc, ts=msgpack.Timestamp(1700000000, 5), ext=msgpack.ExtType(3, b"ab")))
write("msgpack", "types", b"\x00" + packed)
write("msgpack", "types-tight", b"\xa5" + packed)
write("msgpack", "deep", b"\x00" + b"\x91" * 40 + b"\x01")
write("msgpack", "absurd", b"\x00\xdd\xff\xff\xff\xff\x01")
write("msgpack", "stream", b"\x00" + msgpack.packb(1) + msgpack.packb("two"))

encoded = cbor2.dumps(dict(doc, t0=cbor2.CBORTag(0, "2023-11-14T22:13:20Z"), t1=cbor2.CBORTag(1, 1.5),
                           big=cbor2.CBORTag(2, b"\x01" * 10), tag=cbor2.CBORTag(99, [1])))
write("cbor", "types", b"\x00" + encoded)
write("cbor", "types-tight", b"\xa5" + encoded)
write("cbor", "indefinite", b"\x00\xbf\x61k\x9f\x01\x02\xff\x62s2\x7f\x61a\x62bc\xff\xff")
write("cbor", "deep", b"\x00" + b"\x81" * 40 + b"\x01")
write("cbor", "absurd", b"\x00\x9b\x00\x00\x00\xff\xff\xff\xff\xff\x01")

write("compressed", "gzip-json", b"\x01" + gzip.compress(b'{"a": [1, 2]}', mtime=0))
write("compressed", "zlib-msgpack", b"\x06" + zlib.compress(packed))
write("compressed", "gzip-bomb", b"\xa5" + gzip.compress(b"\x00" * 100000, mtime=0))

wire = (b"\x08\x96\x01" b"\x12\x07\x0a\x05hello" b"\x1d\x00\x00\xc0\x3f" b"\x21" + struct.pack("<d", 1.0) +
        b"\x2a\x03\x01\x02\x03" b"\x8a\x01\x02\x08\x01" b"\xba\x01\x06\x08\x80\xe2\xcf\xaa\x06")
write("protobuf", "wire", b"\x00" + wire)
write("protobuf", "wire-tight", b"\xa5" + wire)
write("protobuf", "absurd", b"\x00\x0a\xff\xff\xff\xff\x0f" b"ab")

write("proto-schema", "messages.proto", b"""syntax = "proto3";
package a.b;
import "google/protobuf/timestamp.proto";
message M {
  enum E { Z = 0; ONE = 1; }
  message N { repeated int32 v = 1 [packed = true]; }
  int32 i = 1; string s = 2; N n = 3; E e = 4; map<string, N> m = 5;
  oneof o { bytes b = 6; double d = 7; }
  google.protobuf.Timestamp t = 8;
  reserved 9, 10 to 12; reserved "old";
}
service S { rpc Get (M) returns (M); }
""")
write("proto-schema", "proto2.proto", b"""syntax = "proto2";
message P { optional string name = 1; required uint64 id = 2; repeated P kids = 3; extensions 100 to max; }
extend P { optional int32 extra = 100; }
option java_package = "x.y";
""")

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["protoc", "-I", os.path.dirname(schema), "--python_out=" + tmp, os.path.basename(schema)],
                   check=True)
    sys.path.insert(0, tmp)
    import sparkplug_b_pb2 as spb  # noqa: E402

    birth = spb.Payload(timestamp=1700000000000, seq=0)
    birth.metrics.add(name="bdSeq", datatype=spb.Int64, long_value=1)
    birth.metrics.add(name="t", alias=1, datatype=spb.Float, float_value=1.5)
    birth.metrics.add(name="a", alias=2, datatype=spb.Int16Array, bytes_value=struct.pack("<hh", -1, 2))
    birth.metrics.add(name="s", alias=3, datatype=spb.StringArray, bytes_value=b"a\x00b\x00")
    m = birth.metrics.add(name="ds", alias=4, datatype=spb.DataSet)
    m.dataset_value.num_of_columns = 1
    m.dataset_value.columns.append("c")
    m.dataset_value.types.append(spb.Int32)
    m.dataset_value.rows.add().elements.add(int_value=5)
    data = spb.Payload(timestamp=1700000001000, seq=1)
    data.metrics.add(alias=1, float_value=2.5)
    write("sparkplug", "nbirth", b"\x00\x00" + birth.SerializeToString())
    write("sparkplug", "ndata", b"\x00\x01" + data.SerializeToString())
    write("sparkplug", "ndata-tight", b"\xa5\x01" + data.SerializeToString())
    write("sparkplug", "state", b"\x00\x08" + b'{"online": true, "timestamp": 1700000000000}')
