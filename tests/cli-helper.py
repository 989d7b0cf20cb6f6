#!/usr/bin/env python3
# cli-helper.py: what tests/test-cli.c asks of an independent program.
#
#   cli-helper.py check-json EXPECTED OUTPUT
#       Parses OUTPUT (antenna-cli sub --format json) with Python's json
#       module, line by line, and compares it with EXPECTED, JSON Lines the
#       test wrote from what mosquitto_pub sent: {"topic", "payload" (Base64)
#       or "payload-file" (a path), "qos", "retain", "properties"}. Prints
#       what differs; exit status 1 when anything does.
#
#   cli-helper.py check-decoded MANIFEST OUTPUT [NAME]
#       Compares what antenna-cli decoded with what the independent encoders
#       of tests/decoders/make-fixtures.py meant (MANIFEST, its
#       "expected"), as parsed JSON. With NAME, OUTPUT is what
#       "antenna-cli decode" printed for that fixture (one JSON value);
#       without, OUTPUT is "antenna-cli sub --format json --decode …" output,
#       each line's "decoded" compared with the fixture its topic's last
#       level names, and its "decoder" with the fixture's decoder. Prints
#       what differs; exit status 1 when anything does.
#
#   cli-helper.py pty [--interrupt] -- ARGV...
#       Runs ARGV on a new pseudo-terminal (its controlling terminal), waits
#       for its password prompt, notes whether echo is off, and types the
#       first line of this program's standard input (or Ctrl+C with
#       --interrupt). Prints one JSON object: status (the exit status, or
#       128 + the signal), echo_off (at the prompt), echo_on_after (when it
#       ended), prompted, output (all it wrote on the terminal), and whether
#       the password appeared in it.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import datetime
import json
import os
import pty
import re
import select
import signal
import sys
import termios
import time

TIME_RE = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z')
KEYS = {'topic', 'payload', 'payload-encoding', 'qos', 'retain', 'time', 'properties'}


def is_text(data):
    if b'\0' in data:
        return False
    try:
        data.decode('utf-8')
        return True
    except UnicodeDecodeError:
        return False


def describe_difference(got, want):
    if len(got) != len(want):
        return f'{len(got)} bytes instead of {len(want)}'
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f'byte {i} is {a:#04x} instead of {b:#04x}'
    return 'differs'


def check_message(n, line, want, problems):
    def problem(text):
        problems.append(f'message {n + 1}: {text}')

    try:
        msg = json.loads(line.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        problem(f'not a line of JSON: {e}: {line[:200]!r}')
        return
    if not isinstance(msg, dict):
        problem(f'not a JSON object: {line[:200]!r}')
        return
    if set(msg) != KEYS:
        problem(f'members {sorted(msg)}, expected {sorted(KEYS)}')
        return

    if 'payload-file' in want:
        with open(want['payload-file'], 'rb') as f:
            payload = f.read()
    else:
        payload = base64.b64decode(want['payload'])

    encoding = msg['payload-encoding']
    if encoding == 'utf-8':
        got = msg['payload'].encode('utf-8')
    elif encoding == 'base64':
        try:
            got = base64.b64decode(msg['payload'], validate=True)
        except ValueError as e:
            problem(f'payload is not Base64: {e}')
            return
    else:
        problem(f'payload-encoding is {encoding!r}')
        return
    if got != payload:
        problem('payload: ' + describe_difference(got, payload))
    if (encoding == 'utf-8') != is_text(payload):
        problem(f'payload-encoding {encoding} for a payload that is '
                + ('' if is_text(payload) else 'not ') + 'UTF-8 text')

    for key in ('topic', 'qos', 'retain'):
        if msg[key] != want[key]:
            problem(f'{key} is {msg[key]!r}, expected {want[key]!r}')

    if not isinstance(msg['time'], str) or not TIME_RE.fullmatch(msg['time']):
        problem(f'time {msg["time"]!r} is not ISO 8601 UTC with microseconds')
    else:
        when = datetime.datetime.strptime(msg['time'], '%Y-%m-%dT%H:%M:%S.%fZ')
        now = datetime.datetime.utcnow()
        if abs((now - when).total_seconds()) > 600:
            problem(f'time {msg["time"]} is not now ({now.isoformat()}Z)')

    props = dict(msg['properties'])
    want_props = dict(want.get('properties', {}))
    # The broker sends what is left of the expiry interval.
    if 'message-expiry' in want_props:
        left = props.pop('message-expiry', None)
        full = want_props.pop('message-expiry')
        if not isinstance(left, int) or not full - 10 <= left <= full:
            problem(f'message-expiry is {left!r}, expected at most {full} and close to it')
    if props != want_props:
        problem(f'properties are {props!r}, expected {want_props!r}')


def check_json(expected_path, output_path):
    with open(expected_path) as f:
        expected = [json.loads(line) for line in f if line.strip()]
    with open(output_path, 'rb') as f:
        output = f.read()
    problems = []
    if output and not output.endswith(b'\n'):
        problems.append('the output does not end with a newline')
    lines = output.split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()
    if len(lines) != len(expected):
        problems.append(f'{len(lines)} lines, expected {len(expected)}')
    # Messages from different publishers may arrive in any order: each is
    # matched with the one expected on its topic when topics are unique.
    topics = [want['topic'] for want in expected]
    if len(set(topics)) == len(topics):
        by_topic = {want['topic']: want for want in expected}
        for n, line in enumerate(lines):
            try:
                topic = json.loads(line.decode('utf-8', 'replace')).get('topic')
            except (ValueError, AttributeError):
                topic = None
            want = by_topic.pop(topic, None)
            if want is None:
                problems.append(f'message {n + 1}: topic {topic!r} not expected (or twice)')
            else:
                check_message(n, line, want, problems)
    else:
        for n, (line, want) in enumerate(zip(lines, expected)):
            check_message(n, line, want, problems)
    for p in problems:
        print(p)
    if not problems:
        print(f'ok: {len(lines)} messages')
    return 1 if problems else 0


def run_pty(argv, interrupt):
    password = sys.stdin.readline().rstrip('\n').encode()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)

    out = b''
    deadline = time.time() + 60
    prompt = re.compile(rb'Password for [^\n]*: $')

    def read_some(timeout):
        """False once the terminal's other side is closed (EIO)."""
        nonlocal out
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        out += chunk
        return bool(chunk)

    def echo():
        try:
            return bool(termios.tcgetattr(fd)[3] & termios.ECHO)
        except termios.error:
            return None

    open_ = True
    while open_ and time.time() < deadline and not prompt.search(out):
        open_ = read_some(0.1)
    prompted = bool(prompt.search(out))
    echo_off = None
    if prompted:
        echo_off = echo() is False
        if interrupt:
            os.write(fd, termios.tcgetattr(fd)[6][termios.VINTR])
        else:
            os.write(fd, password + b'\n')
    while open_ and time.time() < deadline:
        open_ = read_some(0.1)
    echo_on_after = echo()
    if open_:
        os.kill(pid, signal.SIGKILL)
    _, wstatus = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(wstatus)
    if status < 0:
        status = 128 - status
    print(json.dumps({
        'status': status,
        'prompted': prompted,
        'echo_off': echo_off,
        'echo_on_after': echo_on_after,
        'password_shown': bool(password) and password in out,
        'output': out.decode('utf-8', 'replace'),
    }))
    return 0


def check_decoded(manifest_path, output_path, name=None):
    with open(manifest_path) as f:
        fixtures = {entry['name']: entry for entry in json.load(f)}
    with open(output_path, 'rb') as f:
        output = f.read()
    problems = []

    if name is not None:
        try:
            got = json.loads(output.decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            problems.append(f'{name}: not JSON: {e}: {output[:200]!r}')
        else:
            if got != fixtures[name]['expected']:
                problems.append(f'{name}: {json.dumps(got)[:400]} instead of '
                                f'{json.dumps(fixtures[name]["expected"])[:400]}')
    else:
        lines = output.splitlines()
        if not lines:
            problems.append('no output')
        for n, line in enumerate(lines):
            try:
                msg = json.loads(line.decode('utf-8'))
            except (UnicodeDecodeError, ValueError) as e:
                problems.append(f'line {n + 1}: not JSON: {e}: {line[:200]!r}')
                continue
            fixture = fixtures.get(msg.get('topic', '').rsplit('/', 1)[-1])
            if fixture is None:
                problems.append(f'line {n + 1}: topic {msg.get("topic")!r} names no fixture')
            elif 'decoded' not in msg:
                problems.append(f'line {n + 1}: not decoded: {msg.get("decode-error")!r}')
            elif msg.get('decoder') != fixture['decoder']:
                problems.append(f'line {n + 1}: decoder {msg.get("decoder")!r}, not {fixture["decoder"]!r}')
            elif msg['decoded'] != fixture['expected']:
                problems.append(f'{fixture["name"]}: {json.dumps(msg["decoded"])[:400]} instead of '
                                f'{json.dumps(fixture["expected"])[:400]}')

    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == 'check-decoded':
        return check_decoded(*sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == 'check-json':
        return check_json(sys.argv[2], sys.argv[3])
    if len(sys.argv) > 3 and sys.argv[1] == 'pty':
        args = sys.argv[2:]
        interrupt = args[0] == '--interrupt'
        if interrupt:
            args = args[1:]
        if args[0] == '--':
            return run_pty(args[1:], interrupt)
    print(__doc__ if __doc__ else 'usage: see the header of this file', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
