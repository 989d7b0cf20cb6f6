#!/usr/bin/env python3
# capture-helper.py: what tests/test-capture-cli.c asks of an independent
# program: reads antenna-cli export's CSV and JSON Lines with Python's own
# csv and json modules and compares them with what the test published.
#
#   capture-helper.py check EXPECTED CSV JSONL
#       EXPECTED: JSON Lines the test wrote, one object a message in order:
#       {"topic", "payload" (Base64), "qos", "retain", "user-properties"
#       (optional, [[name, value], ...]), "content-type" (optional)}.
#       Prints what differs; exit status 1 when anything does.
#   capture-helper.py check EXPECTED CSV JSONL SUBSCRIPTION
#       The same, each JSON line naming SUBSCRIPTION ("": none); without it
#       "cap/#".
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import csv
import datetime
import io
import json
import sys


def payload_of(encoding, text):
    if encoding == "text":
        return text.encode("utf-8")
    if encoding == "base64":
        return base64.b64decode(text, validate=True)
    raise ValueError("unknown encoding %r" % encoding)


def parse_time(text):
    if not text.endswith("Z"):
        raise ValueError("not UTC: %r" % text)
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def check(expected_path, csv_path, jsonl_path, subscription="cap/#"):
    with open(expected_path, encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    problems = []

    # RFC 4180: newline="" lets the csv module see the CRLF and the
    # line breaks inside quoted fields itself.
    with open(csv_path, encoding="utf-8", newline="") as f:
        raw = f.read()
    if not raw.endswith("\r\n"):
        problems.append("CSV: records do not end with CRLF")
    # A payload of 1 MiB in Base64 is one field: over the module's default limit.
    csv.field_size_limit(1 << 30)
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header, rows = rows[0], rows[1:]
    if header != ["time", "topic", "qos", "retain", "direction", "encoding", "payload"]:
        problems.append("CSV header: %r" % header)
    if len(rows) != len(expected):
        problems.append("CSV: %d rows, %d expected" % (len(rows), len(expected)))
    last = None
    for i, (row, want) in enumerate(zip(rows, expected)):
        time, topic, qos, retain, direction, encoding, payload = row
        t = parse_time(time)
        if last is not None and t < last:
            problems.append("CSV row %d: time goes back" % i)
        last = t
        got = payload_of(encoding, payload)
        if topic != want["topic"]:
            problems.append("CSV row %d: topic %r, expected %r" % (i, topic, want["topic"]))
        if got != base64.b64decode(want["payload"]):
            problems.append("CSV row %d (%s): payload differs (%d bytes, %d expected)"
                            % (i, topic, len(got), len(base64.b64decode(want["payload"]))))
        if int(qos) != want["qos"] or int(retain) != int(want["retain"]) or direction != "received":
            problems.append("CSV row %d: qos/retain/direction %s/%s/%s" % (i, qos, retain, direction))

    with open(jsonl_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        problems.append("JSON Lines: no newline at the end")
    objects = [json.loads(line) for line in lines if line != ""]
    if len(objects) != len(expected):
        problems.append("JSON Lines: %d objects, %d expected" % (len(objects), len(expected)))
    for i, (obj, want) in enumerate(zip(objects, expected)):
        got = payload_of(obj["encoding"], obj["payload"])
        parse_time(obj["time"])
        if obj["topic"] != want["topic"] or got != base64.b64decode(want["payload"]):
            problems.append("JSON line %d: %r differs" % (i, obj["topic"]))
        if obj["qos"] != want["qos"] or obj["retain"] != want["retain"]:
            problems.append("JSON line %d: qos/retain %r/%r" % (i, obj["qos"], obj["retain"]))
        props = obj.get("properties", {})
        if props.get("user-properties", []) != want.get("user-properties", []):
            problems.append("JSON line %d: user properties %r" % (i, props.get("user-properties")))
        if props.get("content-type") != want.get("content-type"):
            problems.append("JSON line %d: content type %r" % (i, props.get("content-type")))
        if obj.get("subscription") != (subscription or None):
            problems.append("JSON line %d: subscription %r" % (i, obj.get("subscription")))

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "check":
        sys.exit(check(*sys.argv[2:]))
    print(__doc__ or "usage: capture-helper.py check EXPECTED CSV JSONL", file=sys.stderr)
    sys.exit(2)
