#!/usr/bin/env bash
# Fails when a source file with strings marked for translation is missing from
# po/POTFILES.in (its strings would never reach the translators), or when
# POTFILES.in names a file that does not exist (xgettext would fail).
#   check-potfiles.sh [SOURCE_ROOT]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

top=${1:-$(dirname "$0")/..}
cd "$top"
potfiles=po/POTFILES.in

listed=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$potfiles" | sed 's/[[:space:]]*$//' | sort -u)

status=0

while IFS= read -r file; do
  if [[ ! -f $file ]]; then
    echo "$potfiles lists $file, which does not exist" >&2
    status=1
  fi
done <<< "$listed"

# _("…"), N_("…"), C_("…", "…"), NC_(…), ngettext (…) in C; translatable="yes" in .ui.
marked=$(
  {
    grep -rlE --include='*.c' --include='*.h' '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext) ?\(' src || true
    grep -rl --include='*.ui' 'translatable="yes"' src || true
  } | sort -u
)

while IFS= read -r file; do
  [[ -z $file ]] && continue
  if ! grep -qxF "$file" <<< "$listed"; then
    echo "$file has strings marked for translation but is not in $potfiles" >&2
    status=1
  fi
done <<< "$marked"

if ((status == 0)); then
  echo "ok: $(grep -c . <<< "$marked") files with translatable strings, all in $potfiles"
fi
exit $status
