/* test-placeholders.c: generated values in topics and payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "antenna-decoder.h"
#include "antenna-error.h"
#include "antenna-placeholders.h"
#include "antenna-test-utils.h"

/* 2026-12-06T03:04:05.678Z */
#define NOW_US G_GINT64_CONSTANT (1796526245678000)

static AntennaPlaceholders *
parse_ok (const char           *text,
          AntennaPayloadFormat  format)
{
  g_autoptr(GError) error = NULL;
  AntennaPlaceholders *self = antenna_placeholders_new (text, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (self);
  return self;
}

static char *
expand_text (AntennaPlaceholders *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = antenna_placeholders_expand (self, NOW_US, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("not JSON: %s (%s)", text, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_counter (void)
{
  g_autoptr(AntennaPlaceholders) plain = parse_ok ("n={{counter}}", ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autoptr(AntennaPlaceholders) stepped = parse_ok ("{{counter:10:-3}}", ANTENNA_PAYLOAD_FORMAT_TEXT);

  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *want = g_strdup_printf ("n=%d", i);
      g_autofree char *got = expand_text (plain);

      g_assert_cmpstr (got, ==, want);
    }
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *want = g_strdup_printf ("%d", 10 - 3 * i);
      g_autofree char *got = expand_text (stepped);

      g_assert_cmpstr (got, ==, want);
    }
  g_assert_true (antenna_placeholders_has_any (plain));
}

static void
test_time (void)
{
  g_autoptr(AntennaPlaceholders) self =
    parse_ok ("{{time}} {{time:ms}} {{time:iso}}", ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autofree char *got = expand_text (self);

  g_assert_cmpstr (got, ==, "1796526245 1796526245678 2026-12-06T03:04:05.678Z");
}

static void
test_random_ranges (void)
{
  g_autoptr(AntennaPlaceholders) self =
    parse_ok ("{{int:-2:2}};{{float:0.5:1.25}};{{choice:red|green|blue}};{{uuid}}",
              ANTENNA_PAYLOAD_FORMAT_TEXT);
  gboolean seen[5] = { FALSE, };

  for (int i = 0; i < 500; i++)
    {
      g_autofree char *got = expand_text (self);
      g_auto(GStrv) fields = g_strsplit (got, ";", -1);
      gint64 n = g_ascii_strtoll (fields[0], NULL, 10);
      double x = g_ascii_strtod (fields[1], NULL);

      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      g_assert_cmpint (n, >=, -2);
      g_assert_cmpint (n, <=, 2);
      seen[n + 2] = TRUE;
      g_assert_cmpfloat (x, >=, 0.5);
      g_assert_cmpfloat (x, <=, 1.25);
      /* two decimals: the most precise bound's */
      g_assert_cmpuint (strlen (strchr (fields[1], '.') + 1), ==, 2);
      g_assert_true (g_strv_contains ((const char *[]) { "red", "green", "blue", NULL }, fields[2]));
      g_assert_true (g_uuid_string_is_valid (fields[3]));
      g_assert_cmpint (fields[3][14], ==, '4');
    }
  /* every value of the range turns up */
  for (int i = 0; i < 5; i++)
    g_assert_true (seen[i]);
}

static void
test_walk (void)
{
  g_autoptr(AntennaPlaceholders) self = parse_ok ("{{walk:20:19:21:0.5}}", ANTENNA_PAYLOAD_FORMAT_TEXT);
  double last;
  g_autofree char *first = expand_text (self);

  g_assert_cmpstr (first, ==, "20.00");
  last = 20;
  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *got = expand_text (self);
      double x = g_ascii_strtod (got, NULL);

      g_assert_cmpfloat (x, >=, 19);
      g_assert_cmpfloat (x, <=, 21);
      /* each step at most 0.5 (and the rounding of two decimals) */
      g_assert_cmpfloat (fabs (x - last), <=, 0.5 + 0.011);
      last = x;
    }
}

static void
test_client_id_and_brace (void)
{
  g_autoptr(AntennaPlaceholders) self =
    parse_ok ("devices/{{client_id}}/{{brace}}x}}", ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autofree char *got = NULL;

  antenna_placeholders_set_client_id (self, "sensor-7");
  got = antenna_placeholders_expand_string (self, NOW_US);
  g_assert_cmpstr (got, ==, "devices/sensor-7/{{x}}");
}

static void
test_no_placeholder (void)
{
  g_autoptr(AntennaPlaceholders) self = parse_ok ("plain {text} }}", ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autofree char *got = expand_text (self);

  g_assert_false (antenna_placeholders_has_any (self));
  g_assert_false (antenna_placeholders_text_has_any ("plain {text} }}"));
  g_assert_true (antenna_placeholders_text_has_any ("a{{b"));
  g_assert_cmpstr (got, ==, "plain {text} }}");
}

/* Values inside JSON strings are escaped, numbers outside them bare,
 * other values outside quoted: json-glib parses every result. */
static void
test_json (void)
{
  const char *template =
    "{\"id\": {{counter}}, \"name\": \"{{choice:a\"b|back\\slash|new\nline|tab\t}}\", "
    "\"bare\": {{choice:x\"y|12.5|true}}, \"t\": {{time:iso}}, \"u\": \"id-{{uuid}}\", "
    "\"v\": {{walk:1:0:2:0.1}}, \"esc\": \"\\\"{{int:1:1}}\\\"\", \"c\": {{client_id}}}";
  g_autoptr(AntennaPlaceholders) self = parse_ok (template, ANTENNA_PAYLOAD_FORMAT_JSON);
  gboolean seen_quote = FALSE, seen_number = FALSE;

  antenna_placeholders_set_client_id (self, "a\"b\\c");
  for (int i = 1; i <= 200; i++)
    {
      g_autofree char *text = expand_text (self);
      g_autoptr(JsonNode) root = parse_json (text);
      JsonObject *object = json_node_get_object (root);
      const char *name = json_object_get_string_member (object, "name");
      JsonNode *bare = json_object_get_member (object, "bare");

      g_assert_cmpint (json_object_get_int_member (object, "id"), ==, i);
      g_assert_true (g_strv_contains ((const char *[]) { "a\"b", "back\\slash", "new\nline", "tab\t", NULL },
                                      name));
      if (json_node_get_value_type (bare) == G_TYPE_STRING)
        {
          g_assert_cmpstr (json_node_get_string (bare), ==, "x\"y");
          seen_quote = TRUE;
        }
      else if (json_node_get_value_type (bare) == G_TYPE_DOUBLE)
        {
          g_assert_cmpfloat (json_node_get_double (bare), ==, 12.5);
          seen_number = TRUE;
        }
      else
        g_assert_true (json_node_get_boolean (bare));
      g_assert_cmpstr (json_object_get_string_member (object, "t"), ==, "2026-12-06T03:04:05.678Z");
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object, "u") + 3));
      g_assert_cmpstr (json_object_get_string_member (object, "esc"), ==, "\"1\"");
      g_assert_cmpstr (json_object_get_string_member (object, "c"), ==, "a\"b\\c");
      g_assert_cmpfloat (json_object_get_double_member (object, "v"), >=, 0);
    }
  g_assert_true (seen_quote);
  g_assert_true (seen_number);
}

static void
test_json_invalid_after_expansion (void)
{
  g_autoptr(AntennaPlaceholders) self = parse_ok ("{\"a\": {{counter}}", ANTENNA_PAYLOAD_FORMAT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = antenna_placeholders_expand (self, NOW_US, &error);

  g_assert_null (bytes);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  /* a message that was not made does not count */
  g_assert_cmpuint (antenna_placeholders_get_index (self), ==, 0);
}

static void
test_hex (void)
{
  /* {"n":<counter>} with the counter's digits as bytes */
  g_autoptr(AntennaPlaceholders) self = parse_ok ("7b 22 6e 22 3a{{counter:41:1}}7d", ANTENNA_PAYLOAD_FORMAT_HEX);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) bytes = antenna_placeholders_expand (self, NOW_US, &error);
      g_autofree char *want = g_strdup_printf ("{\"n\":%d}", 41 + i);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), want, strlen (want));
    }
}

static void
test_base64 (void)
{
  /* "abc" + counter + "xyz" */
  g_autoptr(AntennaPlaceholders) self = parse_ok ("YWJj{{counter}}eHl6", ANTENNA_PAYLOAD_FORMAT_BASE64);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = antenna_placeholders_expand (self, NOW_US, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "abc1xyz", 7);
}

static void
test_errors (void)
{
  struct {
    const char           *text;
    AntennaPayloadFormat  format;
    const char           *names;
  } cases[] = {
    { "a/{{nope}}/b", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{nope}}” at character 3" },
    { "ab{{counter", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{counter” at character 3" },
    { "é{{int:5:1}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{int:5:1}}” at character 2" },
    { "{{int:a:b}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{int:a:b}}” at character 1" },
    { "{{float:1}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{float:1}}”" },
    { "{{time:hours}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{time:hours}}”" },
    { "{{counter:1}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{counter:1}}”" },
    { "{{walk:50:0:10:1}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{walk:50:0:10:1}}”" },
    { "{{choice:}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "“{{choice:}}”" },
    { "x {{uuid {{counter}}", ANTENNA_PAYLOAD_FORMAT_TEXT, "at character 3" },
    { "7g{{counter}}", ANTENNA_PAYLOAD_FORMAT_HEX, "from character 1" },
    { "00 {{counter}} 0", ANTENNA_PAYLOAD_FORMAT_HEX, "from character 15" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AntennaPlaceholders) self = antenna_placeholders_new (cases[i].text, cases[i].format, &error);

      g_assert_null (self);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].names) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].text, error->message, cases[i].names);
    }
}

/* Where an error is: the characters of the placeholder (or of the literal
 * part that does not decode), for the composer to mark. */
static void
test_error_span (void)
{
  struct {
    const char           *text;
    AntennaPayloadFormat  format;
    guint                 start, end;
  } cases[] = {
    { "a/{{nope}}/b", ANTENNA_PAYLOAD_FORMAT_TEXT, 2, 10 },
    { "é{{int:5:1}}x", ANTENNA_PAYLOAD_FORMAT_TEXT, 1, 12 },
    { "ab{{counter", ANTENNA_PAYLOAD_FORMAT_TEXT, 2, 11 },
    { "00 {{counter}} 0", ANTENNA_PAYLOAD_FORMAT_HEX, 14, 16 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      AntennaPayloadSpan span = { 0, 0 };
      g_autoptr(AntennaPlaceholders) self = antenna_placeholders_new_span (cases[i].text, cases[i].format,
                                                                           &span, &error);

      g_assert_null (self);
      g_assert_nonnull (error);
      g_assert_cmpuint (span.start, ==, cases[i].start);
      g_assert_cmpuint (span.end, ==, cases[i].end);
    }
}

/* JSON sent as MessagePack: each message expanded, then encoded; peek
 * gives both, the state moves only on expand. */
static void
test_encoder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPlaceholders) self = antenna_placeholders_new ("{\"n\": {{counter}}}", ANTENNA_PAYLOAD_FORMAT_JSON, &error);
  g_autoptr(GBytes) expanded = NULL;
  g_autoptr(GBytes) peeked = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  g_assert_no_error (error);
  antenna_placeholders_set_encoder (self, antenna_decoder_find (ANTENNA_DECODER_MSGPACK));
  peeked = antenna_placeholders_peek_expanded (self, 0, &expanded, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (expanded, NULL), g_bytes_get_size (expanded), "{\"n\": 1}", 8);
  /* fixmap of 1, "n", 1 */
  g_assert_cmpmem (g_bytes_get_data (peeked, NULL), g_bytes_get_size (peeked), "\x81\xa1n\x01", 4);

  first = antenna_placeholders_expand (self, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, peeked));
  second = antenna_placeholders_expand (self, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), "\x81\xa1n\x02", 4);

  /* JSON as typed, and a format that is not JSON, take no encoder */
  antenna_placeholders_set_encoder (self, antenna_decoder_find (ANTENNA_DECODER_JSON));
  g_clear_pointer (&second, g_bytes_unref);
  second = antenna_placeholders_expand (self, 0, &error);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second), "{\"n\": 3}", 8);
}

/* The same seed gives the same messages; peek shows the next without taking it. */
static void
test_seed_and_peek (void)
{
  const char *template = "{{int:0:1000000}} {{float:0:1}} {{uuid}} {{walk:0:-100:100:5}} {{choice:a|b|c|d}} {{counter}}";
  g_autoptr(AntennaPlaceholders) a = parse_ok (template, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autoptr(AntennaPlaceholders) b = parse_ok (template, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autoptr(AntennaPlaceholders) c = parse_ok (template, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  antenna_placeholders_set_seed (a, 42);
  antenna_placeholders_set_seed (b, 42);
  antenna_placeholders_set_seed (c, 43);
  for (int i = 0; i < 50; i++)
    {
      g_autofree char *peeked = antenna_placeholders_peek_string (a, NOW_US);
      g_autofree char *peeked_again = antenna_placeholders_peek_string (a, NOW_US);
      g_autofree char *from_a = expand_text (a);
      g_autofree char *from_b = expand_text (b);
      g_autofree char *from_c = expand_text (c);

      g_assert_cmpstr (peeked, ==, peeked_again);
      g_assert_cmpstr (peeked, ==, from_a);
      g_assert_cmpstr (from_a, ==, from_b);
      g_assert_cmpstr (from_a, !=, from_c);
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&from_a)));
    }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/placeholders/counter", test_counter);
  g_test_add_func ("/antenna/placeholders/time", test_time);
  g_test_add_func ("/antenna/placeholders/random-ranges", test_random_ranges);
  g_test_add_func ("/antenna/placeholders/walk", test_walk);
  g_test_add_func ("/antenna/placeholders/client-id-and-brace", test_client_id_and_brace);
  g_test_add_func ("/antenna/placeholders/none", test_no_placeholder);
  g_test_add_func ("/antenna/placeholders/json", test_json);
  g_test_add_func ("/antenna/placeholders/json-invalid", test_json_invalid_after_expansion);
  g_test_add_func ("/antenna/placeholders/hex", test_hex);
  g_test_add_func ("/antenna/placeholders/base64", test_base64);
  g_test_add_func ("/antenna/placeholders/errors", test_errors);
  g_test_add_func ("/antenna/placeholders/seed-and-peek", test_seed_and_peek);
  g_test_add_func ("/antenna/placeholders/error-span", test_error_span);
  g_test_add_func ("/antenna/placeholders/encoder", test_encoder);

  return g_test_run ();
}
