#!/usr/bin/env bash
# Checks the Flatpak manifest against the build: flatpak-builder must accept
# it, and its app id, command, runtime, permissions and the pinned Paho archive
# must be what the project ships.
#   check-flatpak-manifest.sh MANIFEST APP_ID SRC_MESON_BUILD DESKTOP_FILE_IN
# SRC_MESON_BUILD is src/meson.build, where the executable is named;
# DESKTOP_FILE_IN the .desktop template, whose Exec= must run the same command.
#
# Paho's patches (sources of type patch, beside the manifest) must exist and be
# well-formed unified diffs (every hunk's line counts add up). Whether they
# apply to the pinned source is checked only where that source is on the
# machine, since the suite runs without network: PAHO_SOURCE=DIR (a tree, e.g.
# `git archive v1.3.13 | tar -x -C DIR`) or PAHO_SOURCE=FILE.tar.gz, else the
# archive in flatpak-builder's download cache (.flatpak-builder/downloads/
# SHA256/ beside the manifest or in the working directory) when its sha256 is
# the pinned one; the output says which, or that it was not checked.
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

MANIFEST_JSON=$shown python3 - "$app_id" "$binary" "$exec_command" "$manifest" <<'EOF'
import hashlib, json, os, re, shutil, subprocess, sys, tarfile, tempfile

app_id, binary, exec_command, manifest_path = sys.argv[1:5]
manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
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
    check(len(sources) >= 1 and sources[0].get("type") == "archive" and
          sum(1 for s in sources if s.get("type") == "archive") == 1,
          "Paho is not one pinned archive (then its patches)")
    check(all(s.get("type") == "patch" for s in sources[1:]),
          "Paho's sources after the archive are not all patches")
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

def hunks_add_up(path):
    """None when @path is a well-formed unified diff, else what is wrong."""
    lines = open(path, encoding="utf-8").read().split("\n")
    files = hunks = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            files += 1
            i += 2
            continue
        h = re.match(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", lines[i])
        if h:
            if files == 0:
                return f"line {i + 1}: a hunk before any file header"
            old = int(h.group(1) or 1)
            new = int(h.group(2) or 1)
            hunks += 1
            i += 1
            while old > 0 or new > 0:
                if i >= len(lines):
                    return f"the hunk of line {i} ends early"
                c = lines[i][:1]
                if c == " " or lines[i] == "":
                    old -= 1
                    new -= 1
                elif c == "-":
                    old -= 1
                elif c == "+":
                    new -= 1
                elif c != "\\":
                    return f"line {i + 1}: {lines[i][:40]!r} inside a hunk"
                i += 1
            if old != 0 or new != 0:
                return f"a hunk ending at line {i} does not add up"
            continue
        i += 1
    return None if hunks > 0 else "no hunk"

def pinned_source(src):
    """A directory or archive of the pinned Paho source on this machine, and where it came from."""
    given = os.environ.get("PAHO_SOURCE")
    if given:
        return given, "PAHO_SOURCE"
    name = os.path.basename(src.get("url", ""))
    for base in (manifest_dir, os.path.dirname(manifest_dir), os.getcwd()):
        candidate = os.path.join(base, ".flatpak-builder", "downloads", src.get("sha256", "-"), name)
        if os.path.isfile(candidate):
            digest = hashlib.sha256(open(candidate, "rb").read()).hexdigest()
            if digest == src.get("sha256"):
                return candidate, "flatpak-builder's download cache"
    return None, None

patch_note = ""
if paho:
    patches = [s for s in paho.get("sources", []) if s.get("type") == "patch"]
    for p in patches:
        path = os.path.join(manifest_dir, p.get("path", ""))
        if not os.path.isfile(path):
            problems.append(f"the Paho patch {p.get('path')!r} is not beside the manifest")
            continue
        wrong = hunks_add_up(path)
        check(wrong is None, f"the Paho patch {p.get('path')!r} is not a well-formed diff: {wrong}")
    sources = paho.get("sources", [])
    origin, how = pinned_source(sources[0]) if sources else (None, None)
    if patches and origin is None:
        patch_note = "; the patches were not applied (no Paho source here: set PAHO_SOURCE)"
    elif patches and shutil.which("patch") is None:
        patch_note = "; the patches were not applied (no patch program)"
    elif patches:
        with tempfile.TemporaryDirectory() as tmp:
            tree = origin
            if os.path.isfile(origin):
                with tarfile.open(origin) as tar:
                    try:
                        tar.extractall(tmp, filter="data")
                    except TypeError:  # Python without extraction filters
                        tar.extractall(tmp)
                entries = os.listdir(tmp)
                # flatpak-builder strips the archive's top directory
                tree = os.path.join(tmp, entries[0]) if len(entries) == 1 else tmp
            elif not os.path.isdir(origin):
                problems.append(f"PAHO_SOURCE={origin} is neither a directory nor an archive")
                tree = None
            if tree is not None:
                copy = os.path.join(tmp, "applied")
                shutil.copytree(tree, copy, symlinks=True)
                for p in patches:
                    # flatpak-builder's default: patch -p1, in order
                    r = subprocess.run(["patch", "-p1", "--forward", "--batch", "-i",
                                        os.path.join(manifest_dir, p["path"])],
                                       cwd=copy, capture_output=True, text=True)
                    fuzz = re.search(r"with fuzz|offset", r.stdout)
                    check(r.returncode == 0 and not fuzz,
                          f"the Paho patch {p['path']!r} does not apply cleanly to {origin}: "
                          + (r.stdout + r.stderr).strip().replace("\n", " / "))
                patch_note = f"; {len(patches)} Paho patch(es) apply cleanly to {origin} ({how})"

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
print(f"ok: {app_id} runs {binary}{patch_note}")
EOF
