#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and checks what a distribution
# package would hold: the binary, the desktop file, the metainfo, both icons,
# a schema that compiles, the Spanish catalog. Then it starts the installed
# Antenna the way a desktop does, from its desktop file (gtk4-launch), waits
# for its window, and runs the desktop file's New Connection action, which
# must open the editor of a new connection in that instance. Without a
# display (DISPLAY unset) these are skipped: exit 77 after the file checks.
#   check-install.sh BUILD_DIR SOURCE_ROOT APP_ID
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

builddir=$1
srcdir=$2
app_id=$3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/antenna-install.XXXXXX")
root=$tmp/root
app_pids=()

# Every process running the installed binary: only ours can, since it lives
# in this test's own temporary directory.
installed_pids() {
  local exe pid
  for exe in /proc/[0-9]*/exe; do
    if [[ $(readlink "$exe" 2>/dev/null) == "$bin" ]]; then
      pid=${exe#/proc/}
      echo "${pid%/exe}"
    fi
  done
}

cleanup() {
  set +e
  if [[ -n ${bin:-} ]]; then
    mapfile -t app_pids < <(installed_pids)
    for pid in "${app_pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${app_pids[@]}"; do
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null
    done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Where this build installs, from its own options (the prefix is /usr/local
# unless it was set up with another).
read -r prefix bindir datadir localedir mandir < <(
  meson introspect "$builddir" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(*(o[k] for k in ("prefix", "bindir", "datadir", "localedir", "mandir")))')
abs() { if [[ $1 == /* ]]; then echo "$1"; else echo "$prefix/$1"; fi; }
bin=$root$(abs "$bindir")/antenna
share=$root$(abs "$datadir")
locale=$root$(abs "$localedir")

# The same step as a package build: meson install with DESTDIR. The
# post-install scripts (schema cache, icon cache) skip themselves under
# DESTDIR, as they should.
meson install -C "$builddir" --destdir "$root" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install --destdir failed"; }
echo "installed into $root$prefix"

[[ -x $bin ]] || fail "no executable at $bin"

# antenna-cli beside it, with its man page and bash completion.
cli=$root$(abs "$bindir")/antenna-cli
[[ -x $cli ]] || fail "no antenna-cli at $cli"
"$cli" --version | grep -qx 'antenna-cli [0-9.]*' || fail "the installed antenna-cli does not run"
man_page=$root$(abs "$mandir")/man1/antenna-cli.1
[[ -f $man_page ]] || fail "no man page at $man_page"
grep -q '^\.SH EXIT STATUS' "$man_page" || fail "the man page of antenna-cli documents no exit status"
completion=$(find "$root" -path '*/bash-completion/completions/antenna-cli' -type f | head -n 1)
[[ -n $completion ]] || fail "no bash completion for antenna-cli under $root"
bash -n "$completion" || fail "$completion is not valid bash"

desktop=$share/applications/$app_id.desktop
[[ -f $desktop ]] || fail "no desktop file at $desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "the installed desktop file does not validate"
fi
grep -qx 'Exec=antenna %U' "$desktop" || fail "the desktop file does not run 'antenna %U'"
grep -qx "Icon=$app_id" "$desktop" || fail "the desktop file does not name the icon $app_id"
grep -qx 'Exec=antenna --new-connection' "$desktop" || fail "the desktop file has no New Connection action"

metainfo=$share/metainfo/$app_id.metainfo.xml
[[ -f $metainfo ]] || fail "no metainfo at $metainfo"
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$metainfo" >"$tmp/appstream.log" 2>&1 ||
    { cat "$tmp/appstream.log" >&2; fail "the installed metainfo does not validate"; }
fi
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
  fail "the metainfo does not point at $app_id.desktop"

# Both icons, as SVG documents of the sizes the icon theme expects them at.
check_svg() {
  python3 - "$1" "$2" <<'EOF' || fail "$1 is not a ${2}×${2} SVG icon"
import sys
import xml.etree.ElementTree as ET
path, size = sys.argv[1], sys.argv[2]
root = ET.parse(path).getroot()
ok = (root.tag == "{http://www.w3.org/2000/svg}svg"
      and root.get("width") == size and root.get("height") == size
      and root.get("viewBox") == f"0 0 {size} {size}"
      and len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 0)
sys.exit(0 if ok else 1)
EOF
}
icon=$share/icons/hicolor/scalable/apps/$app_id.svg
symbolic=$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
[[ -f $icon ]] || fail "no application icon at $icon"
[[ -f $symbolic ]] || fail "no symbolic icon at $symbolic"
check_svg "$icon" 128
check_svg "$symbolic" 16
# The capture files' icons, named as shared-mime-info looks them up.
capture_icon=$share/icons/hicolor/scalable/mimetypes/application-x-antenna-capture.svg
capture_symbolic=$share/icons/hicolor/symbolic/mimetypes/application-x-antenna-capture-symbolic.svg
[[ -f $capture_icon ]] || fail "no capture icon at $capture_icon"
[[ -f $capture_symbolic ]] || fail "no symbolic capture icon at $capture_symbolic"
check_svg "$capture_icon" 128
check_svg "$capture_symbolic" 16
grep -q '<icon name="application-x-antenna-capture"/>' "$share/mime/packages/io.github.antennamqtt.Antenna-capture.xml" ||
  fail "the capture MIME type does not name its icon"

# The schema, compiled as the distribution's trigger would, must give the
# application's settings.
schemas=$share/glib-2.0/schemas
[[ -f $schemas/$app_id.gschema.xml ]] || fail "no schema at $schemas/$app_id.gschema.xml"
glib-compile-schemas --strict "$schemas" || fail "the installed schema does not compile"
keys=$(gsettings --schemadir "$schemas" list-keys "$app_id") || fail "gsettings cannot read $app_id"
[[ -n $keys ]] || fail "the schema $app_id has no keys"

# The Spanish catalog: a valid .mo holding every message translated in po/es.po.
mo=$locale/es/LC_MESSAGES/antenna.mo
[[ -f $mo ]] || fail "no Spanish catalog at $mo"
source_count=$(LC_ALL=C msgfmt --statistics -o /dev/null "$srcdir/po/es.po" 2>&1 | sed -n 's/^\([0-9]*\) translated.*/\1/p')
source_count=${source_count:-0}
# msgunfmt, not Python's gettext: that one skips the system-dependent strings
# (a plural with <PRIu64>), which the C library does read.
installed_count=$(msgunfmt "$mo" | LC_ALL=C msgfmt --statistics -o /dev/null - 2>&1 |
                  sed -n 's/^\([0-9]*\) translated.*/\1/p') || fail "$mo is not a valid catalog"
installed_count=${installed_count:-0}
[[ $installed_count -eq $source_count ]] ||
  fail "the installed catalog has $installed_count messages, po/es.po translates $source_count"
# The Spanish strings reached the desktop file and the metainfo too.
grep -q '^Comment\[es\]=' "$desktop" || fail "the installed desktop file has no Spanish Comment"
grep -q '<summary xml:lang="es">' "$metainfo" || fail "the installed metainfo has no Spanish summary"
echo "files: binary, antenna-cli with its man page and completion, desktop file, metainfo, icons (capture icons too), schema, es catalog ($source_count messages) are in place"

if [[ -z ${DISPLAY:-} ]]; then
  echo "DISPLAY is not set: not starting the installed application" >&2
  exit 77
fi
command -v xdotool >/dev/null || fail "xdotool is not installed: run build-aux/deps --test"
command -v gtk4-launch >/dev/null || fail "gtk4-launch is not installed (libgtk-4-bin)"

# Another Antenna in this D-Bus session would take the launch over (it is a
# single-instance application), and its window would be found instead.
if [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] &&
   gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
     --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true; then
  fail "another $app_id already runs in this D-Bus session"
fi

# The environment a desktop session would give it, pointed at the DESTDIR.
mkdir -p "$tmp/config" "$tmp/data" "$tmp/cache"
in_session() {
  (
    export PATH="$(dirname "$bin"):$PATH"
    export XDG_DATA_DIRS="$share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
    export GSETTINGS_SCHEMA_DIR=$schemas
    export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
    exec "$@"
  )
}

# A window with this exact title shown by the process $pid, within 30 s.
find_window() {
  local title=$1 w
  for _ in $(seq 300); do
    for w in $(xdotool search --onlyvisible --name "^$title\$" 2>/dev/null); do
      if [[ $(xdotool getwindowpid "$w" 2>/dev/null) == "$pid" ]]; then
        echo "$w"
        return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

# Launch it as a desktop would: by its desktop file id, found through
# XDG_DATA_DIRS; its Exec= line names "antenna", found on PATH.
in_session gtk4-launch "$app_id" >"$tmp/launch.log" 2>&1 ||
  { cat "$tmp/launch.log" >&2; fail "gtk4-launch $app_id failed"; }

# The process that started, which must be the installed binary, and its window.
pid=
for _ in $(seq 100); do
  pid=$(installed_pids | head -n 1)
  [[ -n $pid ]] && break
  sleep 0.1
done
[[ -n $pid ]] || { cat "$tmp/launch.log" >&2; fail "the installed antenna did not start from its desktop file"; }
window=$(find_window Antenna) ||
  { cat "$tmp/launch.log" >&2; fail "the installed antenna (pid $pid) showed no window titled Antenna within 30 s"; }
echo "the installed antenna (pid $pid) shows its window $window"

# The desktop file's New Connection action, as a desktop runs it: its Exec=
# line. The running instance takes it and opens the editor of a new profile.
action_exec=$(sed -n '/^\[Desktop Action new-connection\]/,/^\[/ s/^Exec=//p' "$desktop")
read -r -a action_argv <<<"$action_exec"
in_session "${action_argv[@]}" >"$tmp/action.log" 2>&1 ||
  { cat "$tmp/action.log" >&2; fail "the New Connection action ($action_exec) failed"; }
editor=$(find_window "New Connection") ||
  { cat "$tmp/action.log" "$tmp/launch.log" >&2; fail "the New Connection action opened no editor window within 30 s"; }
echo "its New Connection action ($action_exec) opened the editor, window $editor"

kill "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
