/* test-line-diff.c: the inspector's line diff, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-line-diff.h"
#include "antenna-test-utils.h"

#define NOTICE "… (too many changed lines to compare)\n"

typedef struct
{
  const char *old_text;
  const char *new_text;
  const char *expected;
} DiffCase;

static void
assert_cases (const DiffCase *cases,
              gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *diff = antenna_line_diff_texts (cases[i].old_text, cases[i].new_text, 100);
      g_autofree char *old_text = cases[i].old_text != NULL ? g_strescape (cases[i].old_text, NULL) : NULL;
      g_autofree char *new_text = cases[i].new_text != NULL ? g_strescape (cases[i].new_text, NULL) : NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s” → “%s”", i, old_text, new_text);
      g_assert_cmpstr (diff, ==, cases[i].expected);
    }
}

/* How many lines of @text start with @prefix. */
static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);

  return n;
}

static void
test_identical (void)
{
  static const DiffCase cases[] = {
    { "a\nb\n", "a\nb\n", "  a\n  b\n" },
    { "a\nb", "a\nb", "  a\n  b\n" },
    { "only\n", "only\n", "  only\n" },
    { "a\n\nb\n", "a\n\nb\n", "  a\n  \n  b\n" },
    { "{\n  \"a\": 1\n}", "{\n  \"a\": 1\n}", "  {\n    \"a\": 1\n  }\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_insertions (void)
{
  static const DiffCase cases[] = {
    { "a\nc\n", "a\nb\nc\n", "  a\n+ b\n  c\n" },
    { "b\nc\n", "a\nb\nc\n", "+ a\n  b\n  c\n" },
    { "a\nb\n", "a\nb\nc\n", "  a\n  b\n+ c\n" },
    { "a\nd\n", "a\nb\nc\nd\n", "  a\n+ b\n+ c\n  d\n" },
    { "a\nc\ne\n", "a\nb\nc\nd\ne\n", "  a\n+ b\n  c\n+ d\n  e\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_deletions (void)
{
  static const DiffCase cases[] = {
    { "a\nb\nc\n", "a\nc\n", "  a\n- b\n  c\n" },
    { "a\nb\nc\n", "b\nc\n", "- a\n  b\n  c\n" },
    { "a\nb\nc\n", "a\nb\n", "  a\n  b\n- c\n" },
    { "a\nb\nc\nd\ne\n", "a\nc\ne\n", "  a\n- b\n  c\n- d\n  e\n" },
    { "a\n\nb\n", "a\nb\n", "  a\n- \n  b\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_changes (void)
{
  static const DiffCase cases[] = {
    { "x\n", "y\n", "- x\n+ y\n" },
    /* A changed block: its old lines first, then its new ones. */
    { "a\nb\nc\n", "a\nB\nC\n", "  a\n- b\n- c\n+ B\n+ C\n" },
    /* The longest common subsequence, not the first match: b and c stay. */
    { "a\nb\nc\nd\ne\n", "b\nc\nx\nd\ne\n", "- a\n  b\n  c\n+ x\n  d\n  e\n" },
    { "1\n2\n3\n4\n", "1\n3\n2\n4\n", "  1\n- 2\n  3\n+ 2\n  4\n" },
    /* A line is compared whole: a changed prefix or suffix is a change. */
    { "value 1\n", "value 10\n", "- value 1\n+ value 10\n" },
    { "{\n  \"a\": 1,\n  \"b\": 2\n}", "{\n  \"a\": 1,\n  \"b\": 3,\n  \"c\": 4\n}",
      "  {\n    \"a\": 1,\n-   \"b\": 2\n+   \"b\": 3,\n+   \"c\": 4\n  }\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_empty (void)
{
  static const DiffCase cases[] = {
    { "", "", "" },
    { NULL, NULL, "" },
    { NULL, "", "" },
    { "", "a\n", "+ a\n" },
    { NULL, "a\nb", "+ a\n+ b\n" },
    { "a\n", "", "- a\n" },
    { "a\nb\n", NULL, "- a\n- b\n" },
    /* A newline alone is one empty line. */
    { "", "\n", "+ \n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_no_trailing_newline (void)
{
  static const DiffCase cases[] = {
    /* Every output line ends with a newline; a missing last one is no change. */
    { "a\nb", "a\nb\n", "  a\n  b\n" },
    { "a\nb\n", "a\nb", "  a\n  b\n" },
    { "a\nb", "a\nc", "  a\n- b\n+ c\n" },
    { "a", "a\nb", "  a\n+ b\n" },
    { "a\nb", "b", "- a\n  b\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_crlf (void)
{
  static const DiffCase cases[] = {
    /* Split at "\n" alone: the "\r" stays in its line. */
    { "a\r\nb\r\n", "a\r\nb\r\n", "  a\r\n  b\r\n" },
    { "a\r\nb\r\n", "a\r\nc\r\n", "  a\r\n- b\r\n+ c\r\n" },
    { "a\r\n", "a\n", "- a\r\n+ a\n" },
    /* A lone "\r" ends no line. */
    { "a\rb\n", "a\rb\n", "  a\rb\n" },
  };

  assert_cases (cases, G_N_ELEMENTS (cases));
}

/* Past @max_lines, the changed middle shows as all removed, all added, then
 * the notice; the common start and end still show as they are. */
static void
test_past_bound (void)
{
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autofree char *diff = NULL;
  g_autofree char *small = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (old_text, "line %u\n", i);
      g_string_append_printf (new_text, "line %u\n", i % 7 == 0 ? i + 1 : i);
    }

  diff = antenna_line_diff_texts (old_text->str, new_text->str, 2000);
  /* The first line differs (line 0 → line 1), the last (line 4999) not. */
  g_assert_true (g_str_has_prefix (diff, "- line 0\n- line 1\n"));
  g_assert_nonnull (strstr (diff, "- line 1999\n+ line 1\n+ line 1\n+ line 2\n"));
  g_assert_true (g_str_has_suffix (diff, "+ line 1999\n" NOTICE "  line 4999\n"));
  g_assert_cmpuint (count_lines (diff, "- "), ==, 2000);
  g_assert_cmpuint (count_lines (diff, "+ "), ==, 2000);
  g_assert_cmpuint (count_lines (diff, "  "), ==, 1);
  g_assert_null (strstr (diff, "line 2000\n"));

  /* One side alone over the bound is enough, and the bound is on the
   * lines between the common start and end. */
  small = antenna_line_diff_texts ("a\nx\ny\nz\nb\n", "a\nq\nb\n", 2);
  g_assert_cmpstr (small, ==, "  a\n- x\n- y\n+ q\n" NOTICE "  b\n");
  g_clear_pointer (&small, g_free);
  small = antenna_line_diff_texts ("a\nx\ny\nb\n", "a\nq\nb\n", 2);
  g_assert_cmpstr (small, ==, "  a\n- x\n- y\n+ q\n  b\n");
}

/* At the bound, every line is still compared: one change in seven lines,
 * 2000 lines on each side, gives the exact minimal diff. */
static void
test_large_within_bound (void)
{
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *diff = NULL;

  for (guint i = 0; i < ANTENNA_LINE_DIFF_MAX_LINES; i++)
    {
      g_string_append_printf (old_text, "line %u\n", i);
      if (i % 7 == 3)
        {
          g_string_append_printf (new_text, "line %u changed\n", i);
          g_string_append_printf (expected, "- line %u\n+ line %u changed\n", i, i);
        }
      else
        {
          g_string_append_printf (new_text, "line %u\n", i);
          g_string_append_printf (expected, "  line %u\n", i);
        }
    }

  diff = antenna_line_diff_texts (old_text->str, new_text->str, ANTENNA_LINE_DIFF_MAX_LINES);
  g_assert_cmpstr (diff, ==, expected->str);
}

static GBytes *
bytes_from (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* What the inspector diffs: both payloads formatted alike, bounded. */
static void
test_payloads (void)
{
  g_autoptr(GBytes) compact = bytes_from ("{\"a\":1,\"b\":2}");
  g_autoptr(GBytes) indented = bytes_from ("{\n    \"a\" : 1,\n    \"b\" : 2\n}\n");
  g_autoptr(GBytes) changed = bytes_from ("{\"a\":1,\"b\":3}");
  g_autoptr(GBytes) text = bytes_from ("{\"a\":1,");
  g_autoptr(GBytes) number = bytes_from ("21.5");
  g_autoptr(GBytes) other = bytes_from ("22");
  g_autofree char *same = antenna_line_diff_payloads (compact, indented);
  g_autofree char *json = antenna_line_diff_payloads (compact, changed);
  g_autofree char *mixed = antenna_line_diff_payloads (text, compact);
  g_autofree char *plain = antenna_line_diff_payloads (number, other);

  /* Re-indented JSON is no change. */
  g_assert_cmpstr (same, ==, "  {\n    \"a\": 1,\n    \"b\": 2\n  }\n");
  g_assert_cmpstr (json, ==, "  {\n    \"a\": 1,\n-   \"b\": 2\n+   \"b\": 3\n  }\n");
  /* JSON after something that is not: both compared as text. */
  g_assert_cmpstr (mixed, ==, "- {\"a\":1,\n+ {\"a\":1,\"b\":2}\n");
  g_assert_cmpstr (plain, ==, "- 21.5\n+ 22\n");
}

/* Only the first ANTENNA_LINE_DIFF_MAX_BYTES of each payload are compared:
 * a long line is cut there, and a change past it does not show. */
static void
test_payloads_cut (void)
{
  gsize size = ANTENNA_LINE_DIFF_MAX_BYTES + 4096;
  char *a = g_malloc (size);
  char *b;
  g_autoptr(GBytes) old_payload = NULL;
  g_autoptr(GBytes) new_payload = NULL;
  g_autoptr(GBytes) early_payload = NULL;
  g_autofree char *late = NULL;
  g_autofree char *early = NULL;

  memset (a, 'x', size);
  b = g_memdup2 (a, size);
  b[size - 1] = 'y';
  old_payload = g_bytes_new_take (g_memdup2 (a, size), size);
  new_payload = g_bytes_new_take (b, size);
  a[10] = 'y';
  early_payload = g_bytes_new_take (a, size);

  late = antenna_line_diff_payloads (old_payload, new_payload);
  g_assert_cmpuint (strlen (late), ==, 2 + ANTENNA_LINE_DIFF_MAX_BYTES + 1);
  g_assert_true (g_str_has_prefix (late, "  xxxx"));
  g_assert_null (strchr (late, 'y'));

  early = antenna_line_diff_payloads (old_payload, early_payload);
  g_assert_cmpuint (strlen (early), ==, 2 * (2 + ANTENNA_LINE_DIFF_MAX_BYTES + 1));
  g_assert_true (g_str_has_prefix (early, "- xxxx"));
  g_assert_nonnull (strstr (early, "\n+ xxxxxxxxxxy"));
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/line-diff/identical", test_identical);
  g_test_add_func ("/antenna/line-diff/insertions", test_insertions);
  g_test_add_func ("/antenna/line-diff/deletions", test_deletions);
  g_test_add_func ("/antenna/line-diff/changes", test_changes);
  g_test_add_func ("/antenna/line-diff/empty", test_empty);
  g_test_add_func ("/antenna/line-diff/no-trailing-newline", test_no_trailing_newline);
  g_test_add_func ("/antenna/line-diff/crlf", test_crlf);
  g_test_add_func ("/antenna/line-diff/past-bound", test_past_bound);
  g_test_add_func ("/antenna/line-diff/large-within-bound", test_large_within_bound);
  g_test_add_func ("/antenna/line-diff/payloads", test_payloads);
  g_test_add_func ("/antenna/line-diff/payloads-cut", test_payloads_cut);

  return g_test_run ();
}
