/* antenna-line-diff.c
 *
 * The prefix and suffix the two texts share are matched first, as they
 * are; only the lines between them go through the longest common
 * subsequence table, which costs their product in time and memory: hence
 * the bound on lines, past which the middle is shown as replaced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-line-diff"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-line-diff.h"
#include "antenna-payload.h"

typedef struct
{
  const char *start;
  gsize       length;
} Line;

static GArray *
split_lines (const char *text)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  const char *p = text;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      Line line = { p, end != NULL ? (gsize) (end - p) : strlen (p) };

      g_array_append_val (lines, line);
      if (end == NULL)
        break;
      p = end + 1;
    }

  return lines;
}

static gboolean
line_equal (const Line *a,
            const Line *b)
{
  return a->length == b->length && memcmp (a->start, b->start, a->length) == 0;
}

static void
append_line (GString    *out,
             const char *prefix,
             const Line *line)
{
  g_string_append (out, prefix);
  g_string_append_len (out, line->start, line->length);
  g_string_append_c (out, '\n');
}

char *
antenna_line_diff_texts (const char *old_text,
                         const char *new_text,
                         guint       max_lines)
{
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  GString *out;
  guint prefix = 0, suffix = 0;
  guint n, m;

  /* The table counts in 16 bits. */
  g_return_val_if_fail (max_lines <= G_MAXUINT16, NULL);

  a = split_lines (old_text != NULL ? old_text : "");
  b = split_lines (new_text != NULL ? new_text : "");
  out = g_string_new (NULL);

  while (prefix < a->len && prefix < b->len &&
         line_equal (&g_array_index (a, Line, prefix), &g_array_index (b, Line, prefix)))
    prefix++;
  while (suffix < a->len - prefix && suffix < b->len - prefix &&
         line_equal (&g_array_index (a, Line, a->len - 1 - suffix),
                     &g_array_index (b, Line, b->len - 1 - suffix)))
    suffix++;

  for (guint i = 0; i < prefix; i++)
    append_line (out, "  ", &g_array_index (a, Line, i));

  n = a->len - prefix - suffix;
  m = b->len - prefix - suffix;

  if (n > max_lines || m > max_lines)
    {
      /* Too big to compare line by line: show the whole middle as replaced. */
      for (guint i = 0; i < MIN (n, max_lines); i++)
        append_line (out, "- ", &g_array_index (a, Line, prefix + i));
      for (guint j = 0; j < MIN (m, max_lines); j++)
        append_line (out, "+ ", &g_array_index (b, Line, prefix + j));
      g_string_append_printf (out, "%s\n", _("… (too many changed lines to compare)"));
    }
  else
    {
      /* lcs[i][j]: the longest common subsequence of a[i..] and b[j..]. */
      guint16 *lcs = g_new0 (guint16, (gsize) (n + 1) * (m + 1));
      guint i = 0, j = 0;

#define LCS(i, j) lcs[(gsize) (i) * (m + 1) + (j)]
      for (guint ii = n; ii-- > 0;)
        for (guint jj = m; jj-- > 0;)
          {
            if (line_equal (&g_array_index (a, Line, prefix + ii), &g_array_index (b, Line, prefix + jj)))
              LCS (ii, jj) = LCS (ii + 1, jj + 1) + 1;
            else
              LCS (ii, jj) = MAX (LCS (ii + 1, jj), LCS (ii, jj + 1));
          }

      while (i < n || j < m)
        {
          if (i < n && j < m &&
              line_equal (&g_array_index (a, Line, prefix + i), &g_array_index (b, Line, prefix + j)))
            {
              append_line (out, "  ", &g_array_index (a, Line, prefix + i));
              i++, j++;
            }
          else if (i < n && (j == m || LCS (i + 1, j) >= LCS (i, j + 1)))
            append_line (out, "- ", &g_array_index (a, Line, prefix + i++));
          else
            append_line (out, "+ ", &g_array_index (b, Line, prefix + j++));
        }
#undef LCS

      g_free (lcs);
    }

  for (guint k = a->len - suffix; k < a->len; k++)
    append_line (out, "  ", &g_array_index (a, Line, k));

  return g_string_free (out, FALSE);
}

char *
antenna_line_diff_payloads (GBytes *previous,
                            GBytes *payload)
{
  AntennaPayloadFormat format;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  g_return_val_if_fail (previous != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  format = antenna_payload_detect (payload, ANTENNA_LINE_DIFF_MAX_BYTES);

  /* Compare the two in the same form, so a re-indented JSON is no change. */
  if (format == ANTENNA_PAYLOAD_FORMAT_JSON &&
      antenna_payload_detect (previous, ANTENNA_LINE_DIFF_MAX_BYTES) != ANTENNA_PAYLOAD_FORMAT_JSON)
    format = ANTENNA_PAYLOAD_FORMAT_TEXT;

  old_text = antenna_payload_format (previous, format, ANTENNA_LINE_DIFF_MAX_BYTES, NULL, NULL);
  new_text = antenna_payload_format (payload, format, ANTENNA_LINE_DIFF_MAX_BYTES, NULL, NULL);

  return antenna_line_diff_texts (old_text, new_text, ANTENNA_LINE_DIFF_MAX_LINES);
}
