#!/usr/bin/env bash
# Fails when a translation in po/LINGUAS is incomplete: a message untranslated
# or fuzzy, a format string or a mnemonic ("_") that does not match its original
# (msgfmt --check --check-accelerators),
# or a string in the sources that the .po file does not have yet. For the last
# one it extracts a fresh template the way `meson compile antenna-pot` does
# (xgettext with GLib's keywords over po/POTFILES.in) and merges each .po file
# with it, as `meson compile antenna-update-po` would.
#   check-translations.sh [SOURCE_ROOT]
# To fix a failure: meson compile -C BUILDDIR antenna-update-po, then translate
# what it lists.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

top=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$top"
export LC_ALL=C.UTF-8 LANGUAGE=

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The keywords and flags of i18n.gettext(preset: 'glib') in meson.
xgettext --package-name=antenna -f po/POTFILES.in -D "$top" -o "$tmp/antenna.pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  2> "$tmp/xgettext.log" || { cat "$tmp/xgettext.log" >&2; echo "xgettext failed" >&2; exit 1; }

n_template=$(msgattrib --no-obsolete "$tmp/antenna.pot" | grep -c '^msgid ' || true)
n_template=$((n_template - 1)) # the header
if ((n_template < 1)); then
  echo "xgettext found no messages in the files of po/POTFILES.in" >&2
  exit 1
fi

# Prints the messages of a .po file that are untranslated or fuzzy.
incomplete() {
  msgattrib --untranslated --no-obsolete --no-wrap "$1" | sed -n '/^msgid ""$/,/^$/!p' | grep -E '^(#[.,]|msgctxt|msgid)' || true
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$1" | sed -n '/^msgid ""$/,/^$/!p' | grep -E '^(#[.,]|msgctxt|msgid)' || true
}

status=0
langs=$(sed -e 's/#.*//' po/LINGUAS | tr -s '[:space:]' '\n' | grep . || true)
if [[ -z $langs ]]; then
  echo "po/LINGUAS names no language" >&2
  exit 1
fi

for lang in $langs; do
  po=po/$lang.po
  if [[ ! -f $po ]]; then
    echo "$po is listed in po/LINGUAS but does not exist" >&2
    status=1
    continue
  fi

  # As it is in the tree: valid, and the format strings match.
  if ! stats=$(msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$po" 2>&1); then
    echo "$stats" >&2
    echo "$po: msgfmt --check failed" >&2
    status=1
    continue
  fi
  echo "$po: $stats"
  if [[ $stats == *untranslated* || $stats == *fuzzy* ]]; then
    echo "$po has untranslated or fuzzy messages:" >&2
    incomplete "$po" >&2
    status=1
  fi

  # Against the sources as they are now.
  msgmerge --quiet --no-wrap -o "$tmp/$lang.po" "$po" "$tmp/antenna.pot"
  merged=$(msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$tmp/$lang.po" 2>&1) || {
    echo "$merged" >&2
    echo "$po merged with the sources: msgfmt --check failed" >&2
    status=1
    continue
  }
  echo "$po merged with the $n_template messages of the sources: $merged"
  if [[ $merged == *untranslated* || $merged == *fuzzy* ]]; then
    echo "$po is behind the sources; these messages need a translation (run the antenna-update-po target):" >&2
    incomplete "$tmp/$lang.po" >&2
    status=1
  fi
done

exit $status
