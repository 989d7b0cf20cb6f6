#!/usr/bin/env bash
# Checks build-aux/demo-publisher, what a newcomer sees first through
# build-aux/run: against a real mosquitto it publishes every demo topic, the
# sensor payload is JSON with the expected fields, the status and online
# topics are retained, and it stops by itself once the broker is gone.
#   check-demo-publisher.sh [SOURCE_ROOT]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

top=$(cd "${1:-$(dirname "$0")/..}" && pwd)
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY

mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/antenna-demo-check.XXXXXX")
broker_pid=
publisher_pid=
cleanup() {
  set +e
  if [[ -n $publisher_pid ]]; then kill "$publisher_pid" 2>/dev/null; fi
  if [[ -n $broker_pid ]]; then kill "$broker_pid" 2>/dev/null; fi
  wait 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
  echo "demo-publisher: $*" >&2
  exit 1
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$scratch/mosquitto.conf" <<EOF
user $(id -un)
listener $port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $scratch/mosquitto.log
EOF
"$mosquitto" -c "$scratch/mosquitto.conf" >/dev/null 2>&1 &
broker_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

"$top/build-aux/demo-publisher" 127.0.0.1 "$port" 2> "$scratch/publisher.err" &
publisher_pid=$!

# Three seconds of live traffic: retain flag, topic, payload.
mosquitto_sub -h 127.0.0.1 -p "$port" -t '#' -W 3 -F '%r %t %p' > "$scratch/live.txt" 2>/dev/null || true

for topic in home/livingroom/sensor home/kitchen/temperature factory/line1/counter; do
  n=$(grep -c " $topic " "$scratch/live.txt" || true)
  ((n >= 2)) || fail "$topic published $n times in 3 s, expected one a second"
done

grep ' home/livingroom/sensor ' "$scratch/live.txt" | cut -d' ' -f3- | python3 -c '
import json, sys
for line in sys.stdin:
    value = json.loads(line)
    assert set(value) == {"temperature", "humidity", "battery"}, value
    assert 15 <= value["temperature"] <= 30, value
' || fail "home/livingroom/sensor is not the expected JSON"

grep ' home/kitchen/temperature ' "$scratch/live.txt" | cut -d' ' -f3- |
  grep -qvE '^[0-9]+\.[0-9]$' && fail "home/kitchen/temperature is not a plain number"

mapfile -t counters < <(grep ' factory/line1/counter ' "$scratch/live.txt" | cut -d' ' -f3-)
python3 -c 'import sys; v = [int(x) for x in sys.argv[1:]]; assert v == sorted(v), v' "${counters[@]}" ||
  fail "factory/line1/counter went down: ${counters[*]}"

# A new subscriber gets the retained state at once.
mosquitto_sub -h 127.0.0.1 -p "$port" -t 'factory/line1/status' -t 'devices/+/online' -W 1 \
  -F '%r %t %p' > "$scratch/retained.txt" 2>/dev/null || true
grep -qE '^1 factory/line1/status (running|idle)$' "$scratch/retained.txt" ||
  fail "factory/line1/status is not retained as running or idle"
n=$(grep -cE '^1 devices/[a-z0-9-]+/online (true|false)$' "$scratch/retained.txt" || true)
((n >= 4)) || fail "only $n retained devices/<id>/online topics"

# Without its broker it gives up by itself.
kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
broker_pid=
for _ in $(seq 150); do
  kill -0 "$publisher_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$publisher_pid" 2>/dev/null; then
  fail "still running 15 s after its broker stopped"
fi
publisher_pid=
grep -q "is gone" "$scratch/publisher.err" || fail "stopped without saying why"

echo "ok: demo topics live, JSON well-formed, state retained, stops without a broker"
