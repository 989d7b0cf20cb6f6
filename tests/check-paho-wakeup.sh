#!/usr/bin/env bash
# Checks that each executable given exports the wrappers of
# src/core/antenna-paho-wakeup.c (poll, usleep, connect, write, writev) and
# src/core/antenna-paho-readahead.c (recv, read, close) and
# src/core/antenna-paho-websocket.c (SSL_write) in its dynamic symbol
# table: only then do libpaho-mqtt3as's calls bind to them.
# ld exports them because the Paho library references them; a link that
# dropped the object (a static library's member nothing references) or
# stopped exporting it would leave Debian's Paho slow again (55 s for a
# 255 MiB publish), with no test failing otherwise.
#   check-paho-wakeup.sh EXECUTABLE…
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

status=0
for exe in "$@"; do
  exported=$(nm -D --defined-only "$exe" | awk '{print $NF}')
  for symbol in poll usleep connect write writev recv read close SSL_write; do
    if ! grep -qx "$symbol" <<<"$exported"; then
      echo "$exe does not export $symbol (antenna-paho-wakeup.c, antenna-paho-readahead.c, antenna-paho-websocket.c)" >&2
      status=1
    fi
  done
done
[[ $status == 0 ]] && echo "ok: $* export the Paho wake-up and read-ahead wrappers"
exit $status
