/* test-payload.c: payload detection, formatting and decoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-test-utils.h"

#define MiB (1024 * 1024)

static GBytes *
bytes_new (const char *data,
           gssize      length)
{
  return g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
}

/* @n bytes of @c */
static GBytes *
bytes_filled (char  c,
              gsize n)
{
  char *data = g_malloc (n);

  memset (data, c, n);
  return g_bytes_new_take (data, n);
}

/* @n nested arrays: "[[[…]]]" */
static char *
nested_arrays (guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* detect */

typedef struct {
  const char           *data;
  gssize                length;
  gsize                 max_bytes;
  AntennaPayloadFormat  expected;
} DetectCase;

static const DetectCase detect_cases[] = {
  { "", 0, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "hello", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "hello\n\tworld\r\n", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "21.5", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "{\"temp\": 21.5}", -1, 1024, ANTENNA_PAYLOAD_FORMAT_JSON },
  { "  \n[1, 2, 3]\n", -1, 1024, ANTENNA_PAYLOAD_FORMAT_JSON },
  { "[]", -1, 1024, ANTENNA_PAYLOAD_FORMAT_JSON },
  { "{\"caf\xc3\xa9\": \"\xe6\x97\xa5\"}", -1, 1024, ANTENNA_PAYLOAD_FORMAT_JSON },
  /* JSON scalars are not worth pretty-printing: text. */
  { "42", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "\"hello\"", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "true", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  /* Not JSON, but text. */
  { "{not json}", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "{\"a\": 1", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "[1, 2,]", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "{\"a\": 1} trailing", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "[1] [2]", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "[1] // comment", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "/* comment */ [1]", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "['single']", -1, 1024, ANTENNA_PAYLOAD_FORMAT_TEXT },
  /* Binary. */
  { "\x00\x01\x02\x03", 4, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "hello\0world", 11, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "{\"a\": 1}\0", 9, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "\xff\xfe\xfd", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "caf\xe9", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },              /* Latin-1 */
  { "\xc0\xaf", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },             /* overlong */
  { "\xed\xa0\x80", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },         /* surrogate */
  { "\x1b[31mred\x1b[0m", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },   /* ESC */
  { "bell\x07", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "del\x7f", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "nel\xc2\x85", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },          /* C1 control U+0085 */
  { "[\"\xff\"]", -1, 1024, ANTENNA_PAYLOAD_FORMAT_HEX },
  /* Only max_bytes are looked at. */
  { "hello\xff", -1, 5, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "hello\xff", -1, 6, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "caf\xc3\xa9", -1, 4, ANTENNA_PAYLOAD_FORMAT_TEXT },            /* "é" cut in two */
  { "caf\xe9x", -1, 4, ANTENNA_PAYLOAD_FORMAT_HEX },                /* not a cut character */
  { "caf\xc3\xa9", -1, 5, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "ab\xe0\x80x", -1, 3, ANTENNA_PAYLOAD_FORMAT_HEX },             /* the next byte shows E0 80 is no character */
  { "ab\xe0\xa0", -1, 4, ANTENNA_PAYLOAD_FORMAT_HEX },              /* cut, but the payload ends there */
  { "ab\xe0\xa0\x80", -1, 4, ANTENNA_PAYLOAD_FORMAT_TEXT },
  { "ab\xed\xa0\x80", -1, 4, ANTENNA_PAYLOAD_FORMAT_HEX },          /* a surrogate, cut */
  /* Too big to parse: JSON when it starts like JSON and is UTF-8. */
  { "{\"a\": [1, 2, 3]}", -1, 4, ANTENNA_PAYLOAD_FORMAT_JSON },
  { "  [not json at all", -1, 4, ANTENNA_PAYLOAD_FORMAT_JSON },
  { "[\"\xc3\xa9\"]", -1, 3, ANTENNA_PAYLOAD_FORMAT_JSON },         /* cut in "é" */
  { "{\xff\"a\": 1}", -1, 4, ANTENNA_PAYLOAD_FORMAT_HEX },
  { "{\"a\": 1}", -1, 0, ANTENNA_PAYLOAD_FORMAT_TEXT },            /* nothing looked at */
};

static void
test_detect (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (detect_cases); i++)
    {
      const DetectCase *c = &detect_cases[i];
      g_autoptr(GBytes) payload = bytes_new (c->data, c->length);

      g_test_message ("case %u", i);
      g_assert_cmpint (antenna_payload_detect (payload, c->max_bytes), ==, c->expected);
    }
}

static void
test_detect_deep_json (void)
{
  g_autofree char *ok = nested_arrays (512);
  g_autofree char *deep = nested_arrays (513);
  g_autofree char *very_deep = nested_arrays (200000);
  g_autoptr(GBytes) ok_payload = bytes_new (ok, -1);
  g_autoptr(GBytes) deep_payload = bytes_new (deep, -1);
  g_autoptr(GBytes) very_deep_payload = bytes_new (very_deep, -1);

  g_assert_cmpint (antenna_payload_detect (ok_payload, 1 * MiB), ==, ANTENNA_PAYLOAD_FORMAT_JSON);
  /* Deeper than json-glib can parse without overflowing the stack: text. */
  g_assert_cmpint (antenna_payload_detect (deep_payload, 1 * MiB), ==, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_assert_cmpint (antenna_payload_detect (very_deep_payload, 1 * MiB), ==, ANTENNA_PAYLOAD_FORMAT_TEXT);
}

/* format */

static char *
format (const char           *data,
        gssize                length,
        AntennaPayloadFormat  fmt,
        gsize                 max_bytes,
        gboolean             *truncated,
        GError              **json_error)
{
  g_autoptr(GBytes) payload = bytes_new (data, length);

  return antenna_payload_format (payload, fmt, max_bytes, truncated, json_error);
}

static void
test_format_json (void)
{
  g_autoptr(GError) error = NULL;
  gboolean truncated = TRUE;
  char *text;

  text = format ("{\"a\":1,\"b\":[1,2,{}],\"c\":{\"d\":null}, \"e\" : [ ],\"f\":\"x, y: [z]\"}", -1,
                 ANTENNA_PAYLOAD_FORMAT_AUTO, 1024, &truncated, &error);
  g_assert_no_error (error);
  g_assert_false (truncated);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"a\": 1,\n"
                   "  \"b\": [\n"
                   "    1,\n"
                   "    2,\n"
                   "    {}\n"
                   "  ],\n"
                   "  \"c\": {\n"
                   "    \"d\": null\n"
                   "  },\n"
                   "  \"e\": [],\n"
                   "  \"f\": \"x, y: [z]\"\n"
                   "}");
  g_free (text);

  /* What was sent is what is shown: duplicate members, numbers past double
   * and 64-bit range, escapes, all kept as written. */
  text = format ("{\"a\":1,\"a\":2,\"big\":123456789012345678901234567890,\"huge\":1e400,"
                 "\"pi\":3.14159265358979323846,\"esc\":\"\\u00e9\\n\\\"\\\\\"}", -1,
                 ANTENNA_PAYLOAD_FORMAT_JSON, 1024, &truncated, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"a\": 1,\n"
                   "  \"a\": 2,\n"
                   "  \"big\": 123456789012345678901234567890,\n"
                   "  \"huge\": 1e400,\n"
                   "  \"pi\": 3.14159265358979323846,\n"
                   "  \"esc\": \"\\u00e9\\n\\\"\\\\\"\n"
                   "}");
  g_free (text);

  /* A JSON scalar asked for as JSON. */
  text = format (" 42 ", -1, ANTENNA_PAYLOAD_FORMAT_JSON, 1024, &truncated, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "42");
  g_free (text);

  /* Non-ASCII text stays as it is. */
  text = format ("[\"caf\xc3\xa9\"]", -1, ANTENNA_PAYLOAD_FORMAT_AUTO, 1024, NULL, NULL);
  g_assert_cmpstr (text, ==, "[\n  \"caf\xc3\xa9\"\n]");
  g_free (text);
}

typedef struct {
  const char *data;
  const char *message;
} JsonErrorCase;

static void
test_format_json_invalid (void)
{
  static const JsonErrorCase cases[] = {
    { "{\"a\": 1,\n \"b\" x}", "Invalid JSON at line 2, column 4: " },
    { "[1, 2,]", "Invalid JSON at line 1, column " },
    { "{'a': 1}", "Invalid JSON at line 1, column 2: unexpected character “'”." },
    { "[1]\n  // comment", "Invalid JSON at line 2, column 3: unexpected text after the end of the JSON value." },
    { "[1] [2]", "Invalid JSON at line 1, column 5: unexpected text after the end of the JSON value." },
    { "[\n1,\n2 /* c */]", "Invalid JSON at line 3, column 3: unexpected character “/”." },
    { "{\"\xc3\xa9\": #}", "Invalid JSON at line 1, column 7: unexpected character “#”." },
    { "", "Invalid JSON: there is no value, only white space." },
    { " \n ", "Invalid JSON: there is no value, only white space." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gboolean truncated = TRUE;

      text = format (cases[i].data, -1, ANTENNA_PAYLOAD_FORMAT_JSON, 1024, &truncated, &error);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_true (g_str_has_suffix (error->message, "."));
      /* Falls back to the text. */
      g_assert_cmpstr (text, ==, cases[i].data);
      g_assert_false (truncated);
    }
}

static void
test_format_json_deep (void)
{
  g_autofree char *ok = nested_arrays (512);
  g_autofree char *deep = nested_arrays (513);
  g_autoptr(GError) error = NULL;
  g_autofree char *ok_text = NULL;
  g_autofree char *deep_text = NULL;

  ok_text = format (ok, -1, ANTENNA_PAYLOAD_FORMAT_JSON, 1 * MiB, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ok_text, "[\n  [\n    [\n"));
  g_assert_nonnull (strstr (ok_text, "[]"));
  g_assert_true (g_str_has_suffix (ok_text, "\n  ]\n]"));

  deep_text = format (deep, -1, ANTENNA_PAYLOAD_FORMAT_JSON, 1 * MiB, NULL, &error);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (error->message, ==, "Invalid JSON at line 1, column 513: nested deeper than 512 levels.");
  g_assert_cmpstr (deep_text, ==, deep);
}

/* Pretty-printing deep JSON could multiply its size: bounded. */
static void
test_format_json_growth (void)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean truncated = FALSE;
  gsize size;

  for (guint i = 0; i < 500; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append (s, "1,");
  g_string_append_c (s, '1');
  for (guint i = 0; i < 500; i++)
    g_string_append_c (s, ']');
  size = s->len;
  payload = g_bytes_new_take (g_string_free (s, FALSE), size);

  g_assert_cmpint (antenna_payload_detect (payload, 1 * MiB), ==, ANTENNA_PAYLOAD_FORMAT_JSON);
  text = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_AUTO, 1 * MiB, &truncated, &error);
  g_assert_no_error (error);
  g_assert_true (truncated);
  g_assert_cmpuint (strlen (text), <=, size * 16 + 1024 * 1024);
  g_assert_cmpuint (strlen (text), >, size);
  /* Cut at a line end. */
  g_assert_true (g_str_has_suffix (text, "1,"));
}

static void
test_format_json_too_large (void)
{
  const char *json = "{\"a\": [1, 2, 3], \"b\": \"caf\xc3\xa9\"}";
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean truncated = FALSE;

  /* As asked for: the start as text, and why. */
  text = format (json, -1, ANTENNA_PAYLOAD_FORMAT_JSON, 27, &truncated, &error);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "The payload is too large to be shown as JSON (30 bytes, more than 27 bytes); its start is shown as text.");
  g_assert_true (truncated);
  /* The "é" cut in two is left out, not shown as U+FFFD. */
  g_assert_cmpstr (text, ==, "{\"a\": [1, 2, 3], \"b\": \"caf");
  g_clear_pointer (&text, g_free);
  g_clear_error (&error);

  /* Detected from its start: text too, but no error. */
  text = format (json, -1, ANTENNA_PAYLOAD_FORMAT_AUTO, 10, &truncated, &error);
  g_assert_no_error (error);
  g_assert_true (truncated);
  g_assert_cmpstr (text, ==, "{\"a\": [1, ");
}

static void
test_format_hex (void)
{
  static const guchar all_bytes_row[] = { 0x00, 0x09, 0x0a, 0x1f, 0x20, 0x41, 0x7e, 0x7f,
                                          0x80, 0xc3, 0xa9, 0xfe, 0xff, 0x30, 0x31, 0x32,
                                          0x33 };
  g_autoptr(GError) error = NULL;
  gboolean truncated = TRUE;
  char *text;

  text = format ("Hello world\n", -1, ANTENNA_PAYLOAD_FORMAT_HEX, 1024, &truncated, &error);
  g_assert_no_error (error);
  g_assert_false (truncated);
  g_assert_cmpstr (text, ==,
                   "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|");
  g_free (text);

  text = format ((const char *) all_bytes_row, sizeof all_bytes_row, ANTENNA_PAYLOAD_FORMAT_HEX, 1024, &truncated, NULL);
  g_assert_cmpstr (text, ==,
                   "00000000  00 09 0a 1f 20 41 7e 7f  80 c3 a9 fe ff 30 31 32  |.... A~......012|\n"
                   "00000010  33                                                |3|");
  g_free (text);

  /* Exactly one row, and the offsets of later rows. */
  text = format ("0123456789abcdef", -1, ANTENNA_PAYLOAD_FORMAT_HEX, 1024, &truncated, NULL);
  g_assert_cmpstr (text, ==,
                   "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|");
  g_free (text);

  text = format ("", 0, ANTENNA_PAYLOAD_FORMAT_HEX, 1024, &truncated, NULL);
  g_assert_cmpstr (text, ==, "");
  g_free (text);
}

static void
test_format_hex_offsets (void)
{
  g_autoptr(GBytes) payload = bytes_filled ('\xab', 4096 + 5);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean truncated = FALSE;

  text = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_HEX, 4096 + 5, &truncated, NULL);
  lines = g_strsplit (text, "\n", -1);
  g_assert_false (truncated);
  g_assert_cmpuint (g_strv_length (lines), ==, 257);
  g_assert_true (g_str_has_prefix (lines[1], "00000010  ab ab"));
  g_assert_true (g_str_has_prefix (lines[255], "00000ff0  "));
  g_assert_cmpstr (lines[256], ==,
                   "00001000  ab ab ab ab ab                                    |.....|");
  for (guint i = 0; i < 256; i++)
    g_assert_cmpuint (strlen (lines[i]), ==, 78);
}

static void
test_format_binary_auto (void)
{
  g_autofree char *text = NULL;
  gboolean truncated = TRUE;

  text = format ("\x00\x01\x02\xff", 4, ANTENNA_PAYLOAD_FORMAT_AUTO, 1024, &truncated, NULL);
  g_assert_cmpstr (text, ==,
                   "00000000  00 01 02 ff                                       |....|");
  g_assert_false (truncated);
}

static void
test_format_base64 (void)
{
  g_autoptr(GBytes) long_payload = bytes_filled ('x', 100);
  g_autofree char *hello = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *cut = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean truncated = TRUE;

  hello = format ("Hello", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, 1024, &truncated, NULL);
  g_assert_cmpstr (hello, ==, "SGVsbG8=");
  g_assert_false (truncated);

  /* 76 characters a line, and it decodes back. */
  lines = antenna_payload_format (long_payload, ANTENNA_PAYLOAD_FORMAT_BASE64, 1024, &truncated, NULL);
  g_assert_cmpuint (strlen (lines), ==, 136 + 1);
  g_assert_cmpint (strchr (lines, '\n') - lines, ==, 76);
  decoded = antenna_payload_decode (lines, -1, ANTENNA_PAYLOAD_FORMAT_BASE64, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decoded, long_payload));

  /* Cut to whole groups of three bytes, so that it still decodes. */
  cut = format ("Hello", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, 4, &truncated, NULL);
  g_assert_cmpstr (cut, ==, "SGVs");
  g_assert_true (truncated);
}

typedef struct {
  const char *data;
  gssize      length;
  gsize       max_bytes;
  const char *expected;
  gboolean    truncated;
} TextCase;

static void
test_format_text (void)
{
  static const TextCase cases[] = {
    { "hello", -1, 1024, "hello", FALSE },
    { "", 0, 1024, "", FALSE },
    { "line 1\nline 2", -1, 1024, "line 1\nline 2", FALSE },
    { "caf\xc3\xa9", -1, 1024, "caf\xc3\xa9", FALSE },
    /* Invalid UTF-8 shows U+FFFD, NUL too (the result is a C string). */
    { "a\xff" "b", -1, 1024, "a\xef\xbf\xbd" "b", FALSE },
    { "a\0b", 3, 1024, "a\xef\xbf\xbd" "b", FALSE },
    { "\xed\xa0\x80", -1, 1024, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", FALSE },
    /* Cut to max_bytes, never inside a character. */
    { "hello world", -1, 5, "hello", TRUE },
    { "caf\xc3\xa9!", -1, 4, "caf", TRUE },
    { "caf\xc3\xa9!", -1, 5, "caf\xc3\xa9", TRUE },
    { "\xf0\x9f\x98\x80\xf0\x9f\x98\x80", -1, 7, "\xf0\x9f\x98\x80", TRUE },
    /* An invalid byte at the cut is not a cut character. */
    { "ab\xff" "cd", -1, 3, "ab\xef\xbf\xbd", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      gboolean truncated = !cases[i].truncated;

      g_test_message ("case %u", i);
      text = format (cases[i].data, cases[i].length, ANTENNA_PAYLOAD_FORMAT_TEXT,
                     cases[i].max_bytes, &truncated, NULL);
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_assert_cmpint (truncated, ==, cases[i].truncated);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
}

/* 64 MiB payloads: only max_bytes are ever looked at, so what comes back is
 * bounded by max_bytes whatever the payload's size. */
static void
test_format_huge (void)
{
  static const AntennaPayloadFormat formats[] = {
    ANTENNA_PAYLOAD_FORMAT_AUTO,
    ANTENNA_PAYLOAD_FORMAT_TEXT,
    ANTENNA_PAYLOAD_FORMAT_JSON,
    ANTENNA_PAYLOAD_FORMAT_HEX,
    ANTENNA_PAYLOAD_FORMAT_BASE64,
  };
  static const char fills[] = { 'a', '[', '\0', '\xff' };
  const gsize max_bytes = 64 * 1024;

  for (guint f = 0; f < G_N_ELEMENTS (fills); f++)
    {
      g_autoptr(GBytes) payload = bytes_filled (fills[f], 64 * MiB);
      g_autofree char *line = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;
          gboolean truncated = FALSE;

          text = antenna_payload_format (payload, formats[i], max_bytes, &truncated, &error);
          g_assert_true (truncated);
          /* Hex: 78 characters a row of 16 bytes, the most any format takes. */
          g_assert_cmpuint (strlen (text), <=, (max_bytes / 16 + 1) * 79);
          g_assert_cmpuint (strlen (text), >, 0);
          g_assert_true (g_utf8_validate (text, -1, NULL));
          if (formats[i] == ANTENNA_PAYLOAD_FORMAT_JSON)
            g_assert_nonnull (error);
          else
            g_assert_no_error (error);
        }

      g_assert_cmpint (antenna_payload_detect (payload, max_bytes), ==,
                       fills[f] == 'a' ? ANTENNA_PAYLOAD_FORMAT_TEXT :
                       fills[f] == '[' ? ANTENNA_PAYLOAD_FORMAT_JSON :
                       ANTENNA_PAYLOAD_FORMAT_HEX);

      line = antenna_payload_preview_line (payload, 80);
      g_assert_cmpuint (g_utf8_strlen (line, -1), <=, 80);
      g_assert_cmpuint (g_utf8_strlen (line, -1), >=, 78);
      g_assert_true (g_str_has_suffix (line, "…"));
    }
}

/* preview_line */

typedef struct {
  const char *data;
  gssize      length;
  guint       max_chars;
  const char *expected;
} PreviewCase;

static void
test_preview_line (void)
{
  static const PreviewCase cases[] = {
    { "hello", -1, 80, "hello" },
    { "", 0, 80, "" },
    { "hello", -1, 5, "hello" },
    { "hello!", -1, 5, "hell…" },
    { "hello world", -1, 7, "hello…" },     /* no space before the ellipsis */
    { "hello", -1, 1, "…" },
    { "hello", -1, 0, "" },
    { "line 1\nline 2\r\n\tline 3", -1, 80, "line 1 line 2 line 3" },
    { "  \n  indented\n\n", -1, 80, "indented" },
    { "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}", -1, 80, "{ \"a\": 1, \"b\": [ 2 ] }" },
    { "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", -1, 80, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac" },
    { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", -1, 2, "\xe6\x97\xa5…" },   /* characters, not bytes */
    /* Binary as hex. */
    { "\x00\x01\xff", 3, 80, "00 01 ff" },
    { "\x00\x01\xff", 3, 8, "00 01 ff" },
    { "\x00\x01\xff", 3, 7, "00 01…" },
    { "\x00\x01\xff\x10", 4, 10, "00 01 ff…" },
    { "caf\xe9", -1, 80, "63 61 66 e9" },
    { "\x1b[0m", -1, 80, "1b 5b 30 6d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) payload = bytes_new (cases[i].data, cases[i].length);
      g_autofree char *line = antenna_payload_preview_line (payload, cases[i].max_chars);

      g_test_message ("case %u", i);
      g_assert_cmpstr (line, ==, cases[i].expected);
      g_assert_cmpuint (g_utf8_strlen (line, -1), <=, cases[i].max_chars);
      g_assert_null (strchr (line, '\n'));
    }
}

/* decode */

typedef struct {
  const char           *input;
  gssize                length;
  AntennaPayloadFormat  format;
  const char           *expected;      /* NULL: an error */
  gsize                 expected_len;
  const char           *message;
} DecodeCase;

static const DecodeCase decode_cases[] = {
  /* TEXT: as is, NUL included when the length says so. */
  { "hello", -1, ANTENNA_PAYLOAD_FORMAT_TEXT, "hello", 5, NULL },
  { "a\0b", 3, ANTENNA_PAYLOAD_FORMAT_TEXT, "a\0b", 3, NULL },
  { "", -1, ANTENNA_PAYLOAD_FORMAT_TEXT, "", 0, NULL },
  { "\xff", -1, ANTENNA_PAYLOAD_FORMAT_TEXT, "\xff", 1, NULL },

  /* HEX */
  { "48656c6c6f", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "Hello", 5, NULL },
  { "48 65 6C 6c 6F", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "Hello", 5, NULL },
  { "0x48656c6c6f", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "Hello", 5, NULL },
  { "0X48 0x65", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "He", 2, NULL },
  { "\n\t48 65\r\n6c\n", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "Hel", 3, NULL },
  { "4 8", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "H", 1, NULL },
  { "00ff", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "\x00\xff", 2, NULL },
  { "", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "", 0, NULL },
  { "  ", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "", 0, NULL },
  { "0x", -1, ANTENNA_PAYLOAD_FORMAT_HEX, "", 0, NULL },
  { "4", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Odd number of hex digits: each byte takes two." },
  { "48 656", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Odd number of hex digits: each byte takes two." },
  { "48g5", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “g” at position 3." },
  { "48 65 6g", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “g” at position 8." },
  { "48 65 6z", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “z” at position 8." },
  { "0x4g", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “g” at position 4." },
  { "48x0", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “x” at position 3." },
  { "4 0x8", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “x” at position 4." },
  { "48:65", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “:” at position 3." },
  { "\xc3\xa9" "48", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “\xc3\xa9” at position 1." },
  { "\xc3\xa9\xc3\xa9g", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit “\xc3\xa9” at position 1." },
  { "48\x07", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "Invalid hex digit U+0007 at position 3." },
  { "48\xff", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "The input is not valid UTF-8 (byte 3)." },
  { "48\0" "65", 5, ANTENNA_PAYLOAD_FORMAT_HEX, NULL, 0, "The input contains a NUL character (byte 3)." },

  /* BASE64 */
  { "SGVsbG8=", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "Hello", 5, NULL },
  { "SGVsbA==", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "Hell", 4, NULL },
  { "SGVs", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "Hel", 3, NULL },
  { " SGVs\nbG8=\r\n", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "Hello", 5, NULL },
  { "AP8=", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "\x00\xff", 2, NULL },
  { "+/+/", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "\xfb\xff\xbf", 3, NULL },
  { "", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, "", 0, NULL },
  { "SG*s", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Invalid Base64 character “*” at position 3." },
  { "SGVs\nbG*=", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Invalid Base64 character “*” at position 8." },
  { "-_8=", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Invalid Base64 character “-” at position 1." },
  { "\xc3\xa9" "AAA", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Invalid Base64 character “\xc3\xa9” at position 1." },
  { "AAA\x01", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Invalid Base64 character U+0001 at position 4." },
  { "SGVsbG8", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0,
    "The Base64 text is incomplete: it has 7 characters, not a multiple of four (is “=” padding missing?)." },
  { "SGVsbG8==", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0,
    "The Base64 text is incomplete: it has 9 characters, not a multiple of four (is “=” padding missing?)." },
  { "S", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0,
    "The Base64 text is incomplete: it has 1 characters, not a multiple of four (is “=” padding missing?)." },
  { "SG=s", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "The Base64 text goes on after its “=” padding (position 4)." },
  { "SGVsbG8=SGVs", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "The Base64 text goes on after its “=” padding (position 9)." },
  { "SGVs====", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Too much “=” padding in the Base64 text (position 5)." },
  { "S===", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Too much “=” padding in the Base64 text (position 2)." },
  { "====", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "Too much “=” padding in the Base64 text (position 1)." },
  { "SGVs\xc3", -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL, 0, "The input is not valid UTF-8 (byte 5)." },

  /* JSON: validated, sent as typed. */
  { "{\"a\": 1}", -1, ANTENNA_PAYLOAD_FORMAT_JSON, "{\"a\": 1}", 8, NULL },
  { " [1, 2]\n", -1, ANTENNA_PAYLOAD_FORMAT_JSON, " [1, 2]\n", 8, NULL },
  { "42", -1, ANTENNA_PAYLOAD_FORMAT_JSON, "42", 2, NULL },
  { "\"caf\xc3\xa9\"", -1, ANTENNA_PAYLOAD_FORMAT_JSON, "\"caf\xc3\xa9\"", 7, NULL },
  { "null", -1, ANTENNA_PAYLOAD_FORMAT_JSON, "null", 4, NULL },
  { "", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0, "Invalid JSON: there is no value, only white space." },
  { "{'a': 1}", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0, "Invalid JSON at line 1, column 2: unexpected character “'”." },
  { "[1]\n[2]", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0,
    "Invalid JSON at line 2, column 1: unexpected text after the end of the JSON value." },
  { "1 2", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0,
    "Invalid JSON at line 1, column 3: unexpected text after the end of the JSON value." },
  { "[\"\xff\"]", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0, "Invalid JSON: it is not valid UTF-8 (byte 3)." },
  { "[1]\0", 4, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0, "Invalid JSON: it contains a NUL character (byte 4)." },
  { "[\u00a01]", -1, ANTENNA_PAYLOAD_FORMAT_JSON, NULL, 0, "Invalid JSON at line 1, column 2: unexpected character U+00A0." },
};

static void
test_decode (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      const DecodeCase *c = &decode_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_test_message ("case %u: %s", i, c->input);
      bytes = antenna_payload_decode (c->input, c->length, c->format, &error);

      if (c->expected != NULL)
        {
          g_autoptr(GBytes) expected = g_bytes_new_static (c->expected, c->expected_len);

          g_assert_no_error (error);
          g_assert_nonnull (bytes);
          g_assert_true (g_bytes_equal (bytes, expected));
        }
      else
        {
          g_assert_null (bytes);
          g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
          g_assert_cmpstr (error->message, ==, c->message);
        }
    }
}

static void
test_decode_json_errors (void)
{
  static const JsonErrorCase cases[] = {
    /* json-glib's own errors, with our line and column. */
    { "{\"a\": 1,\n \"b\" x}", "Invalid JSON at line 2, column 4: " },
    { "{\n  \"a\": tru\n}", "Invalid JSON at line 2, column " },
    { "[1, 2", "Invalid JSON at line 1, column " },
    { "{\"a\" 1}", "Invalid JSON at line 1, column " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      bytes = antenna_payload_decode (cases[i].data, -1, ANTENNA_PAYLOAD_FORMAT_JSON, &error);
      g_assert_null (bytes);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_null (strstr (error->message, "<data>"));
    }
}

/* Found by fuzz-payload: json-glib quotes a string token cut in the middle
 * of a character, and the message was not UTF-8. */
static void
test_decode_json_error_utf8 (void)
{
  const char *input = "{\"a\": [1, 2, 1], \"b\": \"caf\xc3\xa9\x01\x05" "caf[[[[[[[[[[[[[[[[[["
                      "\xf0\x9f\x98\x80[[[[[[0[\"[[[[[[[[[[f[[[[[[[[[[[";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = antenna_payload_decode (input, -1, ANTENNA_PAYLOAD_FORMAT_JSON, &error);
  g_assert_null (bytes);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  g_assert_true (g_str_has_prefix (error->message, "Invalid JSON at line 1, column "));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_decode_json_deep (void)
{
  g_autofree char *deep = nested_arrays (100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = antenna_payload_decode (deep, -1, ANTENNA_PAYLOAD_FORMAT_JSON, &error);
  g_assert_null (bytes);
  g_assert_cmpstr (error->message, ==, "Invalid JSON at line 1, column 513: nested deeper than 512 levels.");
}

/* What the profile store checks an imported file with before json-glib
 * sees it: 200 KB of '[' would overflow json-glib's stack. */
static void
test_validate_json (void)
{
  g_autofree char *deep = nested_arrays (100000);
  g_autofree char *wrapped = g_strdup_printf ("{\"profiles\": %s}", deep);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_payload_validate_json ("{\"format\": \"antenna-profiles\", \"version\": 1, \"profiles\": []}", -1, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_payload_validate_json ("[1]xyz", 3, &error));
  g_assert_no_error (error);

  g_assert_false (antenna_payload_validate_json (wrapped, -1, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (error->message, ==, "Invalid JSON at line 1, column 525: nested deeper than 512 levels.");
  g_clear_error (&error);

  g_assert_false (antenna_payload_validate_json ("", -1, &error));
  g_assert_cmpstr (error->message, ==, "Invalid JSON: there is no value, only white space.");
  g_clear_error (&error);

  g_assert_false (antenna_payload_validate_json ("{\"a\": 1 /* c */}", -1, &error));
  g_assert_cmpstr (error->message, ==, "Invalid JSON at line 1, column 9: unexpected character “/”.");
}

/* encode is decode's inverse, on every byte value. */
static void
test_encode_round_trip (void)
{
  static const AntennaPayloadFormat formats[] = { ANTENNA_PAYLOAD_FORMAT_HEX, ANTENNA_PAYLOAD_FORMAT_BASE64 };
  guchar all[256];
  g_autoptr(GBytes) payload = NULL;

  for (guint i = 0; i < 256; i++)
    all[i] = (guchar) i;

  for (gsize len = 0; len <= 256; len += (len < 8 ? 1 : 31))
    {
      g_clear_pointer (&payload, g_bytes_unref);
      payload = g_bytes_new (all + (256 - len), len);

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = antenna_payload_encode (payload, formats[f], &error);
          g_autoptr(GBytes) back = NULL;

          g_assert_no_error (error);
          back = antenna_payload_decode (text, -1, formats[f], &error);
          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (back, payload));
        }
    }
}

static void
test_encode (void)
{
  g_autoptr(GBytes) hello = bytes_new ("Hello", -1);
  g_autoptr(GBytes) binary = bytes_new ("a\0b", 3);
  g_autoptr(GBytes) latin1 = bytes_new ("caf\xe9", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *text = NULL;
  char *failed;

  hex = antenna_payload_encode (hello, ANTENNA_PAYLOAD_FORMAT_HEX, &error);
  g_assert_cmpstr (hex, ==, "48 65 6c 6c 6f");
  base64 = antenna_payload_encode (hello, ANTENNA_PAYLOAD_FORMAT_BASE64, &error);
  g_assert_cmpstr (base64, ==, "SGVsbG8=");
  text = antenna_payload_encode (hello, ANTENNA_PAYLOAD_FORMAT_TEXT, &error);
  g_assert_cmpstr (text, ==, "Hello");
  g_assert_no_error (error);

  failed = antenna_payload_encode (binary, ANTENNA_PAYLOAD_FORMAT_TEXT, &error);
  g_assert_null (failed);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (error->message, ==, "The payload contains a NUL character (byte 2): edit it as hex or Base64.");
  g_clear_error (&error);

  failed = antenna_payload_encode (latin1, ANTENNA_PAYLOAD_FORMAT_JSON, &error);
  g_assert_null (failed);
  g_assert_cmpstr (error->message, ==, "The payload is not valid UTF-8 (byte 4): edit it as hex or Base64.");
}

static void
test_format_size (void)
{
  static const struct {
    guint64     size;
    const char *expected;
  } cases[] = {
    { 0, "0 bytes" },
    { 1, "1 byte" },
    { 12, "12 bytes" },
    { 999, "999 bytes" },
    { 1000, "1.0 kB" },
    { 1500000, "1.5 MB" },
    { 268435455, "268.4 MB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = antenna_payload_format_size (cases[i].size);
      g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);
      g_autofree char *spaced = g_strjoinv (" ", parts);

      /* GLib puts a no-break space between the number and the unit. */
      g_assert_cmpstr (spaced, ==, cases[i].expected);
    }
}

/* Where a composer's input is wrong, in characters: what the editor marks. */
static void
test_decode_span (void)
{
  static const struct {
    const char           *input;
    AntennaPayloadFormat  format;
    guint                 start;
    guint                 end;
  } cases[] = {
    { "01 0g 03", ANTENNA_PAYLOAD_FORMAT_HEX, 4, 5 },
    { "01 0", ANTENNA_PAYLOAD_FORMAT_HEX, 3, 4 },
    { "é1 zz", ANTENNA_PAYLOAD_FORMAT_HEX, 0, 1 },
    { "AQ!D", ANTENNA_PAYLOAD_FORMAT_BASE64, 2, 3 },
    { "AQ==AQ==", ANTENNA_PAYLOAD_FORMAT_BASE64, 2, 5 },
    { "AQI", ANTENNA_PAYLOAD_FORMAT_BASE64, 2, 3 },
    { "{\"a\": 1,\n \"b\": @}", ANTENNA_PAYLOAD_FORMAT_JSON, 15, 16 },
    { "{\"é\": [1, 2,]}", ANTENNA_PAYLOAD_FORMAT_JSON, G_MAXUINT, G_MAXUINT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      AntennaPayloadSpan span = { 0, 0 };

      bytes = antenna_payload_decode_span (cases[i].input, -1, cases[i].format, &span, &error);
      g_test_message ("%s: %s [%u, %u)", cases[i].input, error != NULL ? error->message : "ok", span.start, span.end);
      g_assert_null (bytes);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
      if (cases[i].start != G_MAXUINT)
        {
          g_assert_cmpuint (span.start, ==, cases[i].start);
          g_assert_cmpuint (span.end, ==, cases[i].end);
        }
      else
        g_assert_cmpuint (span.start, <, g_utf8_strlen (cases[i].input, -1));
    }

  {
    AntennaPayloadSpan span = { 0, 0 };
    g_autoptr(GBytes) bytes = antenna_payload_decode_span ("01 02", -1, ANTENNA_PAYLOAD_FORMAT_HEX, &span, NULL);

    g_assert_nonnull (bytes);
    g_assert_cmpuint (span.start, ==, G_MAXUINT);
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/payload/detect", test_detect);
  g_test_add_func ("/antenna/payload/decode/span", test_decode_span);
  g_test_add_func ("/antenna/payload/detect/deep-json", test_detect_deep_json);
  g_test_add_func ("/antenna/payload/format/json", test_format_json);
  g_test_add_func ("/antenna/payload/format/json-invalid", test_format_json_invalid);
  g_test_add_func ("/antenna/payload/format/json-deep", test_format_json_deep);
  g_test_add_func ("/antenna/payload/format/json-growth", test_format_json_growth);
  g_test_add_func ("/antenna/payload/format/json-too-large", test_format_json_too_large);
  g_test_add_func ("/antenna/payload/format/hex", test_format_hex);
  g_test_add_func ("/antenna/payload/format/hex-offsets", test_format_hex_offsets);
  g_test_add_func ("/antenna/payload/format/binary-auto", test_format_binary_auto);
  g_test_add_func ("/antenna/payload/format/base64", test_format_base64);
  g_test_add_func ("/antenna/payload/format/text", test_format_text);
  g_test_add_func ("/antenna/payload/format/huge", test_format_huge);
  g_test_add_func ("/antenna/payload/preview-line", test_preview_line);
  g_test_add_func ("/antenna/payload/decode", test_decode);
  g_test_add_func ("/antenna/payload/decode/json-errors", test_decode_json_errors);
  g_test_add_func ("/antenna/payload/decode/json-deep", test_decode_json_deep);
  g_test_add_func ("/antenna/payload/decode/json-error-utf8", test_decode_json_error_utf8);
  g_test_add_func ("/antenna/payload/validate-json", test_validate_json);
  g_test_add_func ("/antenna/payload/encode", test_encode);
  g_test_add_func ("/antenna/payload/encode/round-trip", test_encode_round_trip);
  g_test_add_func ("/antenna/payload/format-size", test_format_size);

  return g_test_run ();
}
