/* antenna-line-diff.h: what changed between two payloads, line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The inspector compares pretty-printed text of at most this many bytes of
 * each payload … */
#define ANTENNA_LINE_DIFF_MAX_BYTES (256 * 1024)
/* … and at most this many differing lines on each side. */
#define ANTENNA_LINE_DIFF_MAX_LINES 2000

/* A line diff of @old_text against @new_text (either may be NULL: empty),
 * one line of output per line, each prefixed "  " (in both), "- " (only in
 * the old) or "+ " (only in the new), and ended by "\n". Lines are split at
 * "\n" alone (a "\r" before it belongs to the line). The common first and
 * last lines are matched as they are; the lines between them by longest
 * common subsequence, unless either side has more than @max_lines (at most
 * G_MAXUINT16) of them: then they show as all removed and all added (the
 * first @max_lines of each), followed by a line saying so. Never NULL. */
char *antenna_line_diff_texts    (const char *old_text,
                                  const char *new_text,
                                  guint       max_lines);
/* What the inspector shows as the changes from @previous to @payload: both
 * formatted the same way (pretty JSON when both are JSON, else text; see
 * antenna_payload_format()) from their first ANTENNA_LINE_DIFF_MAX_BYTES
 * bytes, and diffed over at most ANTENNA_LINE_DIFF_MAX_LINES lines. Runs
 * in a thread: it can take tens of milliseconds. Never NULL. */
char *antenna_line_diff_payloads (GBytes     *previous,
                                  GBytes     *payload);

G_END_DECLS
