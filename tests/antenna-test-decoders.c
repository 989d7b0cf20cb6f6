/* antenna-test-decoders.c: what the decoder tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "antenna-decoder.h"
#include "antenna-test-decoders.h"
#include "antenna-test-utils.h"

/* Where the fixtures were made, once for the whole program. */
static char *fixtures_dir;
static JsonNode *manifest;

const char *
python (void)
{
  const char *p = g_getenv ("ANTENNA_TEST_PYTHON");

  /* Debian's python3, which has python3-msgpack and the others. */
  return p != NULL ? p : "/usr/bin/python3";
}

char *
source_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "decoders", name, NULL);
}

char *
sparkplug_proto_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "src", "core", "schemas", "sparkplug_b.proto", NULL);
}

/* Runs @argv; its stdout, asserting that it succeeded. */
char *
run_ok (const char * const *argv,
        const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (g_getenv ("ANTENNA_NODE_MODULES") != NULL)
    g_subprocess_launcher_setenv (launcher, "NODE_PATH", g_getenv ("ANTENNA_NODE_MODULES"), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

static void
make_fixtures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = source_path ("make-fixtures.py");
  g_autofree char *node_script = source_path ("make-sparkplug.js");
  g_autofree char *srcdir = g_test_build_filename (G_TEST_DIST, "decoders", NULL);
  g_autofree char *proto = sparkplug_proto_path ();
  g_autofree char *manifest_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;

  fixtures_dir = g_dir_make_tmp ("antenna-decoders-XXXXXX", &error);
  g_assert_no_error (error);

  out1 = run_ok ((const char *[]) { python (), script, fixtures_dir, srcdir, proto, NULL }, NULL);
  out2 = run_ok ((const char *[]) { "node", node_script, fixtures_dir, NULL }, NULL);

  manifest_path = g_build_filename (fixtures_dir, "manifest.json", NULL);
  contents = antenna_test_read_file (manifest_path);
  manifest = json_from_string (contents, &error);
  g_assert_no_error (error);
}

GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.bin", fixtures_dir, name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

JsonObject *
manifest_entry (const char *name)
{
  JsonArray *array = json_node_get_array (manifest);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (entry, "name"), name))
        return entry;
    }
  g_error ("no fixture %s", name);
}

GBytes *
bytes_of (const void *data,
          gsize       len)
{
  return g_bytes_new (data, len);
}

/* A 5-byte list header (MessagePack or CBOR, 32-bit count) and @n items
 * of the value 1, which is the byte 0x01 in both. */
GBytes *
list_of_ones (const char *header,
              gsize       n)
{
  guchar *data = g_malloc (5 + n);

  memcpy (data, header, 5);
  memset (data + 5, 0x01, n);
  return g_bytes_new_take (data, 5 + n);
}

/* Decodes with the decoder @id; asserts success. */
AntennaDecoded *
decode_ok (const char                *id,
           GBytes                    *payload,
           AntennaDecoderRule        *rule,
           AntennaDecoderContext     *context,
           const AntennaDecodeLimits *limits)
{
  g_autoptr(GError) error = NULL;
  AntennaDecoded *decoded = antenna_decoder_decode (antenna_decoder_find (id), payload, NULL, NULL, rule,
                                                    context, limits, &error);

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  return decoded;
}

/* Decodes with @id; asserts failure and returns the message. */
char *
decode_error (const char                *id,
              GBytes                    *payload,
              AntennaDecoderRule        *rule,
              AntennaDecoderContext     *context,
              const AntennaDecodeLimits *limits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaDecoded) decoded = antenna_decoder_decode (antenna_decoder_find (id), payload, NULL, NULL,
                                                              rule, context, limits, &error);

  g_assert_null (decoded);
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  return g_strdup (error->message);
}

/* Asserts that @data (@length bytes) does not decode with @id, and why. */
void
assert_decode_error (const char *id,
                     const char *data,
                     gsize       length,
                     const char *expected)
{
  g_autoptr(GBytes) payload = bytes_of (data, length);
  g_autofree char *message = decode_error (id, payload, NULL, NULL, NULL);

  g_assert_cmpstr (message, ==, expected);
}

/* Field by field: @expected (from the encoder's side) and @actual (our
 * JSON rendering), naming the path of the first difference. */
void
assert_json_matches (JsonNode   *expected,
                     JsonNode   *actual,
                     const char *path)
{
  JsonNodeType type = json_node_get_node_type (expected);

  if (type != json_node_get_node_type (actual))
    g_error ("%s: expected a JSON node of type %d, got %d", path, type, json_node_get_node_type (actual));

  switch (type)
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *e = json_node_get_object (expected);
        JsonObject *a = json_node_get_object (actual);
        g_autoptr(GList) members = json_object_get_members (e);

        if (json_object_get_size (e) != json_object_get_size (a))
          g_error ("%s: %u members expected, %u found", path, json_object_get_size (e), json_object_get_size (a));
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) l->data);

            if (!json_object_has_member (a, l->data))
              g_error ("%s: missing", sub);
            assert_json_matches (json_object_get_member (e, l->data), json_object_get_member (a, l->data), sub);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *e = json_node_get_array (expected);
        JsonArray *a = json_node_get_array (actual);

        if (json_array_get_length (e) != json_array_get_length (a))
          g_error ("%s: %u items expected, %u found", path, json_array_get_length (e), json_array_get_length (a));
        for (guint i = 0; i < json_array_get_length (e); i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);

            assert_json_matches (json_array_get_element (e, i), json_array_get_element (a, i), sub);
          }
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType et = json_node_get_value_type (expected);
        GType at = json_node_get_value_type (actual);

        if ((et == G_TYPE_INT64 || et == G_TYPE_DOUBLE) && (at == G_TYPE_INT64 || at == G_TYPE_DOUBLE))
          {
            double ev = et == G_TYPE_INT64 ? (double) json_node_get_int (expected) : json_node_get_double (expected);
            double av = at == G_TYPE_INT64 ? (double) json_node_get_int (actual) : json_node_get_double (actual);

            if (et == G_TYPE_INT64 && at == G_TYPE_INT64 && json_node_get_int (expected) != json_node_get_int (actual))
              g_error ("%s: %" G_GINT64_FORMAT " expected, %" G_GINT64_FORMAT " found",
                       path, json_node_get_int (expected), json_node_get_int (actual));
            if (fabs (ev - av) > 1e-12 * MAX (1.0, fabs (ev)))
              g_error ("%s: %.17g expected, %.17g found", path, ev, av);
          }
        else if (et != at)
          g_error ("%s: a value of type %s expected, %s found", path, g_type_name (et), g_type_name (at));
        else if (et == G_TYPE_STRING)
          {
            if (g_strcmp0 (json_node_get_string (expected), json_node_get_string (actual)) != 0)
              g_error ("%s: “%s” expected, “%s” found", path,
                       json_node_get_string (expected), json_node_get_string (actual));
          }
        else if (et == G_TYPE_BOOLEAN)
          g_assert_cmpint (json_node_get_boolean (expected), ==, json_node_get_boolean (actual));
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

void
assert_value_matches (JsonNode     *expected,
                      AntennaValue *value)
{
  g_autofree char *json = antenna_value_to_json (value, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) actual = json_from_string (json, &error);

  g_assert_no_error (error);
  assert_json_matches (expected, actual, "$");
}

void
assert_note_contains (AntennaDecoded *decoded,
                      const char     *needle)
{
  const char * const *notes = antenna_decoded_get_notes (decoded);
  g_autofree char *all = g_strjoinv (" | ", (char **) notes);

  if (strstr (all, needle) == NULL)
    g_error ("no note contains “%s”: %s", needle, all);
}

void
assert_every_prefix_fails_cleanly (const char *decoder,
                                   GBytes     *payload)
{
  gsize size;
  const guchar *data = g_bytes_get_data (payload, &size);

  /* Every cut of the payload: an error naming a byte, or (when the cut
   * falls between two values of a sequence) a value. Never a crash. */
  for (gsize len = 0; len < size; len++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (data, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(AntennaDecoded) decoded = antenna_decoder_decode (antenna_decoder_find (decoder), cut, NULL, NULL,
                                                                  NULL, NULL, NULL, &error);

      g_assert_true ((decoded == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (strstr (error->message, "byte ") != NULL);
    }
}

const char *
fixtures_get_dir (void)
{
  return fixtures_dir;
}

JsonNode *
fixtures_get_manifest (void)
{
  return manifest;
}

void
decoders_test_init (int    *argc,
                    char ***argv)
{
  antenna_test_init (argc, argv, ANTENNA_TEST_INIT_DEFAULT);
  make_fixtures ();
}

int
decoders_test_run (void)
{
  int status = antenna_test_run ();

  antenna_test_remove_tree (fixtures_dir);
  g_clear_pointer (&fixtures_dir, g_free);
  g_clear_pointer (&manifest, json_node_unref);
  return status;
}
