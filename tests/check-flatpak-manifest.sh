#!/usr/bin/env bash
# Checks the Flatpak manifest against the build: flatpak-builder must accept
# it, and its app id, command, runtime, permissions and the pinned Paho archive
# must be what the project ships.
#   check-flatpak-manifest.sh MANIFEST APP_ID SRC_MESON_BUILD DESKTOP_FILE_IN
# SRC_MESON_BUILD is src/meson.build, where the executable is named;
# DESKTOP_FILE_IN the .desktop template, whose Exec= must run the same command.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

manifest=$1
app_id=$2
src_meson=$3
desktop_in=$4

if ! command -v flatpak-builder >/dev/null; then
  echo "flatpak-builder is not installed: run build-aux/deps --test" >&2
  exit 1
fi

# flatpak-builder parses the manifest as it would for a build: unknown keys,
# wrong types and bad JSON fail here.
shown=$(flatpak-builder --show-manifest "$manifest")

binary=$(sed -n "s/^executable('\([^']*\)', 'main.c'.*/\1/p" "$src_meson")
if [[ -z $binary ]]; then
  echo "No executable('…', 'main.c') found in $src_meson" >&2
  exit 1
fi
exec_command=$(sed -n '/^\[Desktop Entry\]/,/^\[/ s/^Exec=\([^ ]*\).*/\1/p' "$desktop_in")

MANIFEST_JSON=$shown python3 - "$app_id" "$binary" "$exec_command" <<'EOF'
import json, os, re, sys

app_id, binary, exec_command = sys.argv[1:4]
m = json.loads(os.environ["MANIFEST_JSON"])
problems = []

def check(condition, message):
    if not condition:
        problems.append(message)

check(m.get("id") == app_id, f"id is {m.get('id')!r}, meson.build says {app_id!r}")
check(m.get("command") == binary, f"command is {m.get('command')!r}, src/meson.build builds {binary!r}")
check(exec_command == binary, f"the desktop file runs {exec_command!r}, not {binary!r}")
check(m.get("runtime") == "org.gnome.Platform", "runtime is not org.gnome.Platform")
check(m.get("sdk") == "org.gnome.Sdk", "sdk is not org.gnome.Sdk")
check(m.get("runtime-version") == "47", "runtime-version is not 47")
check(m.get("finish-args") == ["--share=network", "--share=ipc", "--socket=wayland",
                               "--socket=fallback-x11", "--device=dri"],
      f"finish-args are {m.get('finish-args')!r}")

modules = {mod.get("name"): mod for mod in m.get("modules", []) if isinstance(mod, dict)}
paho = modules.get("paho-mqtt-c")
check(paho is not None, "no paho-mqtt-c module")
if paho:
    check(paho.get("buildsystem") in ("cmake", "cmake-ninja"), "Paho is not built with cmake")
    opts = paho.get("config-opts", [])
    for opt in ("-DPAHO_WITH_SSL=TRUE", "-DPAHO_BUILD_STATIC=FALSE", "-DPAHO_HIGH_PERFORMANCE=TRUE",
                "-DPAHO_BUILD_SAMPLES=FALSE", "-DPAHO_ENABLE_TESTING=FALSE"):
        check(opt in opts, f"Paho config-opts lack {opt}")
    sources = paho.get("sources", [])
    check(len(sources) == 1 and sources[0].get("type") == "archive", "Paho is not one pinned archive")
    if sources:
        src = sources[0]
        check(re.fullmatch(r"https://github\.com/eclipse/paho\.mqtt\.c/archive/refs/tags/v1\.3\.\d+\.tar\.gz",
                           src.get("url", "")) is not None, f"unexpected Paho URL {src.get('url')!r}")
        check(re.fullmatch(r"[0-9a-f]{64}", src.get("sha256", "")) is not None,
              "the Paho archive has no sha256")

# The payload decoders' libraries: one pinned archive each, built before the app.
for name, url in (("msgpack-c", r"https://github\.com/msgpack/msgpack-c/archive/refs/tags/c-[\d.]+\.tar\.gz"),
                  ("libcbor", r"https://github\.com/PJK/libcbor/archive/refs/tags/v[\d.]+\.tar\.gz")):
    mod = modules.get(name)
    check(mod is not None, f"no {name} module")
    if mod:
        srcs = mod.get("sources", [])
        check(len(srcs) == 1 and srcs[0].get("type") == "archive", f"{name} is not one pinned archive")
        if srcs:
            check(re.fullmatch(url, srcs[0].get("url", "")) is not None, f"unexpected {name} URL {srcs[0].get('url')!r}")
            check(re.fullmatch(r"[0-9a-f]{64}", srcs[0].get("sha256", "")) is not None, f"the {name} archive has no sha256")

app = m.get("modules", [])[-1] if m.get("modules") else None
check(isinstance(app, dict) and app.get("buildsystem") == "meson", "the last module is not the meson app")
if isinstance(app, dict):
    check(any(s.get("type") == "dir" for s in app.get("sources", [])), "the app module is not built from the tree (type dir)")
    check(list(modules).index(app.get("name")) > list(modules).index("paho-mqtt-c") if paho else True,
          "Paho must be built before the app")

if problems:
    for p in problems:
        print("flatpak manifest: " + p, file=sys.stderr)
    sys.exit(1)
print(f"ok: {app_id} runs {binary}")
EOF
