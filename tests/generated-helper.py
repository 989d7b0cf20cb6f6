#!/usr/bin/env python3
# generated-helper.py: what the tests of generated payloads ask of an
# independent program.
#
#   generated-helper.py check FORMAT PAIRS
#       FORMAT is msgpack or cbor. PAIRS is JSON Lines, one object a
#       message: "payload_base64" (what mosquitto_sub received) and
#       "expanded" (the JSON text the placeholders gave for that message,
#       before encoding). Decodes each payload with Python's msgpack or
#       cbor2 and compares it with json.loads(expanded), value for value,
#       integers as integers. Prints what differs; exit status 1 when
#       anything does.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import json
import sys


def same(a, b):
    # JSON's 1 and 1.0 differ for a test of "integers stay integers"
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main():
    if len(sys.argv) != 4 or sys.argv[1] != 'check':
        sys.exit('usage: generated-helper.py check msgpack|cbor PAIRS')
    fmt, pairs = sys.argv[2], sys.argv[3]
    if fmt == 'msgpack':
        import msgpack
        decode = lambda data: msgpack.unpackb(data, raw=False, strict_map_key=False)
    elif fmt == 'cbor':
        import cbor2
        decode = cbor2.loads
    else:
        sys.exit('unknown format ' + fmt)

    bad = 0
    n = 0
    with open(pairs, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            pair = json.loads(line)
            data = base64.b64decode(pair['payload_base64'])
            want = json.loads(pair['expanded'])
            try:
                got = decode(data)
            except Exception as e:
                print(f'message {number}: not {fmt}: {e} ({data.hex()})')
                bad += 1
                continue
            if not same(got, want):
                print(f'message {number}: decoded {got!r}, expanded {want!r}')
                bad += 1
    print(f'{n} messages, {bad} differ')
    sys.exit(1 if bad else 0)


main()
