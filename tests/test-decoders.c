/* test-decoders.c: the payload decoders, against encoders Antenna did not
 * write and a real broker
 *
 * Payloads come from python3-msgpack, python3-cbor2, protoc --encode,
 * python3-protobuf and npm's sparkplug-payload, made at test time by
 * tests/decoders/make-fixtures.py and make-sparkplug.js, compared field by
 * field with what those encoders were given; then bad input of every kind,
 * the budgets, the choice of a decoder, and one message per format through
 * mosquitto_pub and AntennaClient. Protocol Buffers and Sparkplug B:
 * test-decoders-protobuf.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-payload.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-proto-schema.h"
#include "antenna-sparkplug.h"
#include "antenna-sparkplug-model.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-decoders.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

/* The value tree and its JSON */

static void
test_value_json (void)
{
  g_autoptr(AntennaValue) map = antenna_value_new_map ();
  g_autoptr(AntennaValue) list = antenna_value_new_array ();
  g_autofree char *json = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *ts = NULL;

  antenna_value_map_insert (map, "nan", antenna_value_new_double (NAN));
  antenna_value_map_insert (map, "inf", antenna_value_new_double (INFINITY));
  antenna_value_map_insert (map, "bytes", antenna_value_new_bytes_copy ("\x00\xff", 2));
  antenna_value_map_insert (map, "when", antenna_value_new_timestamp (1700000000, 250000000));
  antenna_value_map_append (map, antenna_value_new_int (7), antenna_value_new_string ("seven", -1));
  antenna_value_map_append (map, antenna_value_new_bytes_copy ("\x01", 1), antenna_value_new_bool (TRUE));
  antenna_value_map_insert (map, "big", antenna_value_new_uint (G_MAXUINT64));
  antenna_value_map_insert (map, "nul", antenna_value_new_string ("a\0b", 3));
  antenna_value_array_append (list, antenna_value_new_int (1));
  antenna_value_set_incomplete (list, TRUE);
  antenna_value_map_insert (map, "list", antenna_value_ref (list));

  json = antenna_value_to_json (map, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"nan\":\"NaN\",\"inf\":\"Infinity\",\"bytes\":\"AP8=\",\"when\":\"2023-11-14T22:13:20.25Z\","
                   "\"7\":\"seven\",\"AQ==\":true,\"big\":18446744073709551615,\"nul\":\"a\\u0000b\",\"list\":[1]}");
  pretty = antenna_value_to_json (map, TRUE);
  g_assert_true (strstr (pretty, "\n  \"nan\": \"NaN\",\n") != NULL);

  /* The preview: display forms, "…" where it is incomplete or cut. */
  preview = antenna_value_dup_preview (list, 40);
  g_assert_cmpstr (preview, ==, "[1, …]");
  g_clear_pointer (&preview, g_free);
  preview = antenna_value_dup_preview (map, 30);
  g_assert_cmpuint (g_utf8_strlen (preview, -1), <=, 30);
  g_assert_true (g_str_has_suffix (preview, "…"));
  g_assert_true (g_str_has_prefix (preview, "{\"nan\": NaN, \"inf\": Infinity"));

  /* Maps as keys of maps as keys…: each written once, cut, not escaped
   * into a text that doubles at every level. */
  {
    g_autoptr(AntennaValue) keyed = antenna_value_new_int (1);
    g_autoptr(JsonNode) parsed = NULL;
    g_autofree char *text = NULL;

    for (guint i = 0; i < 40; i++)
      {
        AntennaValue *outer = antenna_value_new_map ();

        antenna_value_map_append (outer, g_steal_pointer (&keyed), antenna_value_new_string ("\"quoted\"", -1));
        keyed = outer;
      }
    text = antenna_value_to_json (keyed, FALSE);
    g_assert_cmpuint (strlen (text), <, 16 * 1024);
    parsed = json_from_string (text, NULL);
    g_assert_nonnull (parsed);
  }

  ts = antenna_value_format_timestamp (-1, 0);
  g_assert_cmpstr (ts, ==, "1969-12-31T23:59:59Z");
  g_assert_true (antenna_value_lookup_path (map, "list[0]") != NULL);
  g_assert_cmpint (antenna_value_get_int (antenna_value_lookup_path (map, "list[0]")), ==, 1);
  g_assert_null (antenna_value_lookup_path (map, "list[1]"));
}

static gboolean
collect_number (const char *path,
                double      number,
                gpointer    user_data)
{
  g_string_append_printf (user_data, "%s=%g;", path, number);
  return TRUE;
}

static void
test_value_numbers (void)
{
  const char *json = "{\"a\": {\"b\": [1, 2.5]}, \"c\": true, \"d\": \"x\"}";
  g_autoptr(GBytes) payload = bytes_of (json, strlen (json));
  g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_JSON, payload, NULL, NULL, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  antenna_value_foreach_number (antenna_decoded_get_value (decoded), collect_number, out);
  g_assert_cmpstr (out->str, ==, "a.b[0]=1;a.b[1]=2.5;c=1;");
}

/* Choosing a decoder */

static void
test_choose (void)
{
  g_autoptr(GListStore) rules = g_list_store_new (ANTENNA_TYPE_DECODER_RULE);
  g_autoptr(AntennaDecoderRule) newer = antenna_decoder_rule_new ("sensors/#", "future-format");
  g_autoptr(AntennaDecoderRule) pb = antenna_decoder_rule_new ("sensors/+/pb", ANTENNA_DECODER_PROTOBUF);
  g_autoptr(AntennaDecoderRule) mp = antenna_decoder_rule_new ("sensors/#", ANTENNA_DECODER_MSGPACK);
  g_autoptr(GBytes) binary = bytes_of ("\x82\xa1" "a\x01\xa1" "b\x02", 7);
  g_autoptr(GBytes) json = bytes_of ("{\"a\": 1}", 8);
  g_autoptr(GBytes) text = bytes_of ("21.5", 4);
  AntennaDecoderReason reason;
  AntennaDecoderRule *rule = NULL;
  g_autofree char *why = NULL;

  g_list_store_append (rules, newer);
  g_list_store_append (rules, pb);
  g_list_store_append (rules, mp);

  /* A rule, the first that matches; a rule for a decoder this version does
   * not know is passed over. */
  g_assert_true (antenna_decoder_choose (G_LIST_MODEL (rules), "sensors/7/pb", binary, &reason, &rule) ==
                 antenna_decoder_find (ANTENNA_DECODER_PROTOBUF));
  g_assert_cmpint (reason, ==, ANTENNA_DECODER_REASON_RULE);
  g_assert_true (rule == pb);
  g_assert_true (antenna_decoder_choose (G_LIST_MODEL (rules), "sensors/7/mp", binary, &reason, &rule) ==
                 antenna_decoder_find (ANTENNA_DECODER_MSGPACK));
  why = antenna_decoder_describe_reason (reason, rule);
  g_assert_cmpstr (why, ==, "Rule for “sensors/#”");

  /* The Sparkplug namespace, whatever the bytes. */
  g_assert_true (antenna_decoder_choose (G_LIST_MODEL (rules), "spBv1.0/g/NDATA/e", text, &reason, &rule) ==
                 antenna_decoder_find (ANTENNA_DECODER_SPARKPLUG));
  g_assert_cmpint (reason, ==, ANTENNA_DECODER_REASON_NAMESPACE);
  g_assert_null (rule);

  /* Detection never takes binary for MessagePack, CBOR or protobuf. */
  g_assert_true (antenna_decoder_choose (G_LIST_MODEL (rules), "other", binary, &reason, NULL) ==
                 antenna_decoder_find (ANTENNA_DECODER_HEX));
  g_assert_cmpint (reason, ==, ANTENNA_DECODER_REASON_DETECTED);
  g_assert_true (antenna_decoder_choose (NULL, "other", json, &reason, NULL) == antenna_decoder_find (ANTENNA_DECODER_JSON));
  g_assert_true (antenna_decoder_choose (NULL, "other", text, &reason, NULL) == antenna_decoder_find (ANTENNA_DECODER_TEXT));

  /* Every decoder has a name, and ids are unique. */
  for (const AntennaDecoder * const *d = antenna_decoder_list (); *d != NULL; d++)
    {
      g_assert_true (antenna_decoder_find (antenna_decoder_get_id (*d)) == *d);
      g_assert_cmpstr (antenna_decoder_get_name (*d), !=, "");
    }
}

/* Text, JSON, hex, Base64 */

static void
test_text_decoders (void)
{
  g_autoptr(GBytes) text = bytes_of ("caf\xc3\xa9 \xff!", 8);
  g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_TEXT, text, NULL, NULL, NULL);
  g_autoptr(AntennaDecoded) hex = NULL;
  g_autoptr(AntennaDecoded) b64 = NULL;
  AntennaDecodeLimits limits = { .max_bytes = 3 };
  AntennaValue *v = antenna_decoded_get_value (decoded);
  g_autofree char *bad = NULL;

  g_assert_cmpstr (antenna_value_get_string (v, NULL), ==, "café \xef\xbf\xbd!");
  g_assert_cmpstr (antenna_value_get_annotation (v), ==, "not valid UTF-8 at byte 6");

  hex = decode_ok (ANTENNA_DECODER_HEX, text, NULL, NULL, &limits);
  g_assert_cmpuint (g_bytes_get_size (antenna_value_get_bytes (antenna_decoded_get_value (hex))), ==, 3);
  g_assert_true (antenna_decoded_get_flags (hex) & ANTENNA_DECODED_STOPPED);
  g_assert_cmpuint (antenna_decoded_get_stopped_at (hex), ==, 3);
  assert_note_contains (hex, "Shown up to byte 3 of 8 bytes");

  b64 = decode_ok (ANTENNA_DECODER_BASE64, text, NULL, NULL, NULL);
  g_assert_cmpstr (antenna_value_get_string (antenna_decoded_get_value (b64), NULL), ==, "Y2Fmw6kg/yE=");

  bad = decode_error (ANTENNA_DECODER_JSON, text, NULL, NULL, NULL);
  g_assert_true (strstr (bad, "UTF-8") != NULL);

  /* JSON past the limit: its start, as text, and why. */
  {
    g_autoptr(GBytes) json = bytes_of ("{\"a\": 12345}", 12);
    AntennaDecodeLimits five = { .max_bytes = 5 };
    g_autoptr(AntennaDecoded) start = decode_ok (ANTENNA_DECODER_JSON, json, NULL, NULL, &five);

    g_assert_cmpstr (antenna_value_get_string (antenna_decoded_get_value (start), NULL), ==, "{\"a\":");
    g_assert_true (antenna_decoded_get_flags (start) & ANTENNA_DECODED_STOPPED);
    assert_note_contains (start, "too large to be shown as JSON (12 bytes, more than 5 bytes); its start is shown as text");
  }
}

/* Against independent encoders */

static void
test_independent_encoders (void)
{
  g_autoptr(AntennaDecoderContext) context = antenna_decoder_context_new (NULL);
  g_autofree char *reading = source_path ("proto/reading.proto");
  g_autofree char *include = source_path ("proto");
  g_autoptr(AntennaProtoSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array = json_node_get_array (fixtures_get_manifest ());
  guint n_compared = 0;

  schema = antenna_proto_schema_load ((const char *[]) { reading, NULL }, (const char *[]) { include, NULL }, &error);
  g_assert_no_error (error);
  antenna_decoder_context_set_schema (context, schema);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *name = json_object_get_string_member (entry, "name");
      const char *decoder = json_object_get_string_member (entry, "decoder");
      g_autoptr(GBytes) payload = fixture (name);
      g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("#", decoder);
      g_autoptr(AntennaDecoded) decoded = NULL;

      if (json_object_get_null_member (entry, "expected"))
        continue;   /* checked by path below */

      if (json_object_has_member (entry, "message-type"))
        antenna_decoder_rule_set_message_type (rule, json_object_get_string_member (entry, "message-type"));

      g_test_message ("%s", name);
      decoded = decode_ok (decoder, payload, rule, context, NULL);
      g_assert_cmpint (antenna_decoded_get_flags (decoded), ==, ANTENNA_DECODED_NONE);
      assert_value_matches (json_object_get_member (entry, "expected"), antenna_decoded_get_value (decoded));
      n_compared++;
    }
  g_assert_cmpuint (n_compared, ==, 8);
}

/* Bad input: each format */

static void
test_msgpack_bad (void)
{
  g_autoptr(GBytes) types = fixture ("msgpack-types");
  g_autoptr(GBytes) deep = fixture ("msgpack-deep");
  AntennaDecodeLimits shallow = { .max_depth = 8 };
  AntennaDecodeLimits few = { .max_nodes = 1000 };

  assert_every_prefix_fails_cleanly (ANTENNA_DECODER_MSGPACK, types);

  /* A length prefix far beyond the payload: refused, nothing allocated. */
  assert_decode_error (ANTENNA_DECODER_MSGPACK, "\xdd\xff\xff\xff\xff\x01", 6,
                       "MessagePack, byte 0: a list of 4294967295 items, but only 1 bytes remain.");
  assert_decode_error (ANTENNA_DECODER_MSGPACK, "\xdb\xff\xff\xff\xf0" "abc", 8,
                       "MessagePack, byte 0: a string of 4294967280 bytes, but only 3 bytes remain.");

  /* A byte that starts nothing. */
  assert_decode_error (ANTENNA_DECODER_MSGPACK, "\x92\x01\xc1", 3,
                       "MessagePack, byte 2: 0xc1 starts no MessagePack value.");

  /* Nesting beyond the limit: what is above it, and where it stopped. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_MSGPACK, deep, NULL, NULL, &shallow);
    AntennaValue *v = antenna_decoded_get_value (decoded);
    guint depth = 0;

    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_STOPPED);
    assert_note_contains (decoded, "nested deeper than 8 levels");
    g_assert_cmpuint (antenna_decoded_get_stopped_at (decoded), ==, 8);
    while (antenna_value_get_kind (v) == ANTENNA_VALUE_ARRAY && antenna_value_get_n_children (v) > 0)
      {
        g_assert_true (antenna_value_is_incomplete (v));
        v = antenna_value_get_child (v, 0);
        depth++;
      }
    g_assert_cmpuint (depth, ==, 7);
  }

  /* Deeper than msgpack-c's own stack, within ours: whole. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_MSGPACK, deep, NULL, NULL, NULL);

    g_assert_cmpint (antenna_decoded_get_flags (decoded), ==, ANTENNA_DECODED_NONE);
  }

  /* A million items: the first thousand values, and where it stopped. */
  {
    /* array32 of 1,000,000 (0x0f4240) ones */
    g_autoptr(GBytes) payload = list_of_ones ("\xdd\x00\x0f\x42\x40", 1000000);
    g_autoptr(AntennaDecoded) decoded = NULL;
    AntennaValue *v;

    decoded = decode_ok (ANTENNA_DECODER_MSGPACK, payload, NULL, NULL, &few);
    v = antenna_decoded_get_value (decoded);
    g_assert_true (antenna_value_is_incomplete (v));
    g_assert_cmpuint (antenna_value_get_n_children (v), ==, 999);
    g_assert_cmpuint (antenna_decoded_get_stopped_at (decoded), ==, 5 + 999);
    assert_note_contains (decoded, "more than 1000 values");
  }

  /* Invalid UTF-8 in a string: shown, repaired, its byte named. */
  {
    g_autoptr(GBytes) payload = bytes_of ("\x81\xa1k\xa3" "a\xffz", 7);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_MSGPACK, payload, NULL, NULL, NULL);
    AntennaValue *v = antenna_value_lookup (antenna_decoded_get_value (decoded), "k");

    g_assert_cmpstr (antenna_value_get_string (v, NULL), ==, "a\xef\xbf\xbdz");
    g_assert_cmpstr (antenna_value_get_annotation (v), ==, "not valid UTF-8 at byte 5");
  }

  /* The whole range of integers. */
  {
    g_autoptr(GBytes) payload = bytes_of ("\x92\xcf\xff\xff\xff\xff\xff\xff\xff\xff\xd3\x80\x00\x00\x00\x00\x00\x00\x00", 19);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_MSGPACK, payload, NULL, NULL, NULL);
    g_autofree char *json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);

    g_assert_cmpstr (json, ==, "[18446744073709551615,-9223372036854775808]");
  }
}

static void
test_cbor_bad (void)
{
  g_autoptr(GBytes) types = fixture ("cbor-types");
  g_autoptr(GBytes) deep = fixture ("cbor-deep");
  AntennaDecodeLimits shallow = { .max_depth = 8 };

  assert_every_prefix_fails_cleanly (ANTENNA_DECODER_CBOR, types);

  assert_decode_error (ANTENNA_DECODER_CBOR, "\x9b\x00\x00\x00\xff\xff\xff\xff\xff\x01", 10,
                       "CBOR, byte 0: 1099511627775 items announced, but only 10 bytes remain.");
  assert_decode_error (ANTENNA_DECODER_CBOR, "\x7a\xff\xff\xff\xf0" "abc", 8,
                       "CBOR, byte 0: the payload ends inside an item.");
  assert_decode_error (ANTENNA_DECODER_CBOR, "\x82\x01\xff", 3,
                       "CBOR, byte 2: a “break” outside an indefinite-length item.");

  /* Maps as keys of maps, as the fuzzer made them (123 bytes): their JSON
   * is written at once, not in a text that doubles at every level. */
  {
    static const char keys_in_keys[] =
      "\x25\x25\x25\x25\x25\x25\x35\x25\x25\x25\x25\x25\x25\x25\x25\xa1"
      "\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1"
      "\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\xa1\x25\x25"
      "\x25\x25\x02\x00\x00\x00\x00\x00\x00\x25\x25\x25\x25\x25\x25\x25"
      "\x25\x25\x25\x25\x25\x25\x25\x25\x35\xa1\xa1\xa1\xa1\xa1\xa1\xa1"
      "\xa1\xa1\xa1\x25\x25\x25\x25\x02\x00\x00\x00\x00\x00\x00\x25\x25"
      "\x25\x25\x25\x25\x25\x25\x25\x25\x25\x25\x25\x25\x25\x35";
    g_autoptr(GBytes) payload = bytes_of (keys_in_keys, sizeof keys_in_keys - 1);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_CBOR, payload, NULL, NULL, NULL);
    g_autofree char *json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);
    g_autoptr(JsonNode) parsed = json_from_string (json, NULL);

    g_assert_cmpuint (strlen (json), <, 4096);
    g_assert_nonnull (parsed);
  }

  /* Indefinite lengths, and strings in chunks. */
  {
    g_autoptr(GBytes) payload = bytes_of ("\xbf\x61k\x9f\x01\x02\xff\x62s2\x7f\x61" "a\x62" "bc\xff\xff", 18);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_CBOR, payload, NULL, NULL, NULL);
    g_autofree char *json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);

    g_assert_cmpstr (json, ==, "{\"k\":[1,2],\"s2\":\"abc\"}");
  }

  {
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_CBOR, deep, NULL, NULL, &shallow);

    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_STOPPED);
    assert_note_contains (decoded, "nested deeper than 8 levels");
  }

  {
    g_autoptr(GBytes) payload = bytes_of ("\x63" "a\xffz", 4);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_CBOR, payload, NULL, NULL, NULL);

    g_assert_cmpstr (antenna_value_get_annotation (antenna_decoded_get_value (decoded)), ==, "not valid UTF-8 at byte 2");
  }

  /* A huge array within the bytes, cut by the value budget. */
  {
    /* an array of 200,000 (0x030d40) ones, 32-bit count */
    g_autoptr(GBytes) payload = list_of_ones ("\x9a\x00\x03\x0d\x40", 200000);
    g_autoptr(AntennaDecoded) decoded = NULL;
    AntennaDecodeLimits few = { .max_nodes = 500 };

    decoded = decode_ok (ANTENNA_DECODER_CBOR, payload, NULL, NULL, &few);
    g_assert_true (antenna_value_is_incomplete (antenna_decoded_get_value (decoded)));
    g_assert_cmpuint (antenna_value_get_n_children (antenna_decoded_get_value (decoded)), ==, 499);
    assert_note_contains (decoded, "Stopped at byte 504 of");
  }
}

/* Compressed */

static GBytes *
compress (GBytes                *data,
          GZlibCompressorFormat  format)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (format, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);

  g_output_stream_write_all (out, bytes, size, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
test_compressed (void)
{
  g_autoptr(GBytes) json = bytes_of ("{\"a\": [1, 2]}", 13);
  g_autoptr(GBytes) gz = compress (json, G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) mp = fixture ("msgpack-array");
  g_autoptr(GBytes) zmp = compress (mp, G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(AntennaDecoderRule) then_mp = antenna_decoder_rule_new ("#", ANTENNA_DECODER_ZLIB);
  g_autofree char *message = NULL;

  /* Detection after decompression. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_GZIP, gz, NULL, NULL, NULL);
    g_autofree char *out = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);

    g_assert_cmpstr (out, ==, "{\"a\":[1,2]}");
    g_assert_cmpstr (antenna_decoded_get_description (decoded), ==, "gzip → JSON");
  }

  /* The rule's next decoder. */
  {
    g_autoptr(AntennaDecoded) decoded = NULL;

    antenna_decoder_rule_set_then (then_mp, ANTENNA_DECODER_MSGPACK);
    decoded = decode_ok (ANTENNA_DECODER_ZLIB, zmp, then_mp, NULL, NULL);
    g_assert_cmpuint (antenna_value_get_n_children (antenna_decoded_get_value (decoded)), ==, 1000);
    g_assert_cmpstr (antenna_decoded_get_description (decoded), ==, "zlib → MessagePack");
  }

  /* A bomb: 64 MiB of zeros in about 64 kB stop at the limit, with a note. */
  {
    gsize n = 64 * 1024 * 1024;
    g_autoptr(GBytes) zeros = g_bytes_new_take (g_malloc0 (n), n);
    g_autoptr(GBytes) bomb = compress (zeros, G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    AntennaDecodeLimits limits = { .max_bytes = 1024 * 1024 };
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_GZIP, bomb, NULL, NULL, &limits);

    g_assert_cmpuint (g_bytes_get_size (bomb), <, n / 100);
    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_STOPPED);
    assert_note_contains (decoded, "Decompressed the first 1.0");
    assert_note_contains (decoded, "MB and stopped there, the preview limit");
    g_assert_cmpuint (g_bytes_get_size (antenna_value_get_bytes (antenna_decoded_get_value (decoded))), ==, limits.max_bytes);
  }

  /* Corrupt, truncated. */
  {
    g_autoptr(GBytes) corrupt = bytes_of ("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff", 14);
    g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (gz, 0, g_bytes_get_size (gz) - 6);

    message = decode_error (ANTENNA_DECODER_GZIP, corrupt, NULL, NULL, NULL);
    g_assert_true (g_str_has_prefix (message, "gzip, byte "));
    g_assert_true (strstr (message, "corrupt") != NULL);
    g_clear_pointer (&message, g_free);
    message = decode_error (ANTENNA_DECODER_GZIP, truncated, NULL, NULL, NULL);
    g_assert_true (strstr (message, "the compressed data ends early") != NULL);
  }
}

/* JSON → MessagePack and CBOR, read back by the independent decoders */

static void
test_encode (void)
{
  const char *json = "{\"n\": 1, \"neg\": -70000, \"f\": 2.5, \"s\": \"h\\u00e9\", \"l\": [true, null, {\"x\": []}]}";
  const char *expected = "{\"n\": 1, \"neg\": -70000, \"f\": 2.5, \"s\": \"h\\u00e9\", \"l\": [true, null, {\"x\": []}]}";
  struct {
    const char *id;
    const char *script;
  } cases[] = {
    { ANTENNA_DECODER_MSGPACK, "import json, msgpack; print(json.dumps(msgpack.unpackb(data)))" },
    { ANTENNA_DECODER_CBOR, "import json, cbor2; print(json.dumps(cbor2.loads(data)))" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = antenna_decoder_encode_json (antenna_decoder_find (cases[i].id), json, -1, &error);
      g_autofree char *path = g_strdup_printf ("%s/encoded-%s.bin", fixtures_get_dir (), cases[i].id);
      g_autofree char *script = g_strdup_printf ("import sys; data = open(sys.argv[1], 'rb').read(); %s", cases[i].script);
      g_autofree char *out = NULL;
      g_autoptr(AntennaDecoded) back = NULL;
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
      out = run_ok ((const char *[]) { python (), "-c", script, path, NULL }, NULL);
      g_strstrip (out);
      g_assert_cmpstr (out, ==, expected);

      back = decode_ok (cases[i].id, bytes, NULL, NULL, NULL);
      again = antenna_value_to_json (antenna_decoded_get_value (back), FALSE);
      g_assert_cmpstr (again, ==, "{\"n\":1,\"neg\":-70000,\"f\":2.5,\"s\":\"hé\",\"l\":[true,null,{\"x\":[]}]}");
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) none = antenna_decoder_encode_json (antenna_decoder_find (ANTENNA_DECODER_CBOR), "{\"a\": }", -1, &error);

    g_assert_null (none);
    g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
    g_assert_true (strstr (error->message, "line 1, column") != NULL);
  }
}

/* Rules in the profile, and the format version */

static void
test_profile_rules (void)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-profiles-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.json", NULL);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (path);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (path);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("sensors/+/pb", ANTENNA_DECODER_PROTOBUF);
  g_autoptr(AntennaDecoderRule) future = antenna_decoder_rule_new ("x/#", "future-format");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *moved_to = NULL;
  AntennaProfile *loaded;

  antenna_profile_set_name (profile, "Plant");
  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  contents = antenna_test_read_file (path);
  root = json_from_string (contents, &error);
  /* Nothing of versions 2 or 3 used: still version 1, for older versions. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&root, json_node_unref);

  antenna_decoder_rule_set_message_type (rule, "acme.sensors.Reading");
  antenna_profile_add_decoder_rule (profile, rule);
  antenna_profile_add_decoder_rule (profile, future);
  antenna_profile_set_proto_files (profile, (const char *[]) { "/p/reading.proto", NULL });
  antenna_profile_set_proto_import_paths (profile, (const char *[]) { "/p", NULL });

  g_assert_true (antenna_profile_store_save (store, &error));
  contents = antenna_test_read_file (path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  /* Decoding settings: version 3, which an older Antenna sets aside. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 3);
  g_assert_true (strstr (contents, "acme.sensors.Reading") != NULL);

  g_assert_true (antenna_profile_store_load (again, &moved_to, &error));
  g_assert_no_error (error);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_object_unref (loaded);
  g_assert_true (antenna_profile_equal (loaded, profile));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_decoder_rules (loaded)), ==, 2);
  g_assert_cmpstr (antenna_profile_get_proto_files (loaded)[0], ==, "/p/reading.proto");

  /* A copy for the editor, and back. */
  {
    g_autoptr(AntennaProfile) copy = antenna_profile_copy (profile);
    g_autoptr(AntennaDecoderRule) first = g_list_model_get_item (antenna_profile_get_decoder_rules (copy), 0);

    g_assert_true (first != rule);
    antenna_decoder_rule_set_filter (first, "sensors/#");
    g_assert_false (antenna_profile_equal (copy, profile));
    antenna_profile_update_from (profile, copy);
    g_assert_true (antenna_profile_equal (copy, profile));
  }

  /* A rule that is not valid: the profile is reported, not loaded wrong. */
  {
    g_autoptr(JsonNode) node = antenna_profile_to_json (profile);
    g_autoptr(AntennaProfile) bad = NULL;
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "decoder-rules"), 0);

    json_object_set_string_member (first, "filter", "a/#/b");
    bad = antenna_profile_new_from_json (node, &error);
    g_assert_null (bad);
    g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
    g_clear_error (&error);
  }

  antenna_test_remove_tree (dir);
}

/* Through a real broker: each format from mosquitto_pub to AntennaClient */

static void
test_broker (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaDecoderContext) context = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *reading = source_path ("proto/reading.proto");
  g_autofree char *include = source_path ("proto");
  g_autoptr(GBytes) json = bytes_of ("{\"gz\": true}", 12);
  g_autoptr(GBytes) gz = compress (json, G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  struct {
    const char *topic;
    const char *fixture;
    const char *decoder;
  } cases[] = {
    { "fmt/mp", "msgpack-types", ANTENNA_DECODER_MSGPACK },
    { "fmt/cbor", "cbor-types", ANTENNA_DECODER_CBOR },
    { "fmt/pb", "protobuf-reading", ANTENNA_DECODER_PROTOBUF },
    { "fmt/gz", NULL, ANTENNA_DECODER_GZIP },
    { "spBv1.0/plant/NBIRTH/edge", "spnode-nbirth", ANTENNA_DECODER_SPARKPLUG },
    { "spBv1.0/plant/NDATA/edge", "spnode-ndata1", ANTENNA_DECODER_SPARKPLUG },
  };

  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  {
    const char *rules[][2] = {
      { "fmt/mp", ANTENNA_DECODER_MSGPACK }, { "fmt/cbor", ANTENNA_DECODER_CBOR },
      { "fmt/gz", ANTENNA_DECODER_GZIP }, { "fmt/pb", ANTENNA_DECODER_PROTOBUF },
    };

    for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
      {
        g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new (rules[i][0], rules[i][1]);

        if (g_str_equal (rules[i][1], ANTENNA_DECODER_PROTOBUF))
          antenna_decoder_rule_set_message_type (rule, "acme.sensors.Reading");
        antenna_profile_add_decoder_rule (profile, rule);
      }
  }
  antenna_profile_set_proto_files (profile, (const char *[]) { reading, NULL });
  antenna_profile_set_proto_import_paths (profile, (const char *[]) { include, NULL });

  client = antenna_client_new (profile);
  context = antenna_decoder_context_new (profile);
  antenna_sparkplug_model_observe (antenna_decoder_context_get_sparkplug (context), client);
  antenna_test_collect_messages (client, messages);
  antenna_test_connect_ok (client, NULL);
  antenna_test_subscribe_ok (client, "#", 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) payload = cases[i].fixture != NULL ? fixture (cases[i].fixture) : g_bytes_ref (gz);
      g_autoptr(GError) error = NULL;

      g_assert_true (antenna_test_pub (broker, cases[i].topic, payload, 1, FALSE, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (antenna_test_wait_messages (messages, G_N_ELEMENTS (cases), ANTENNA_TEST_CLIENT_WAIT_MS), ==,
                    G_N_ELEMENTS (cases));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      g_autoptr(AntennaDecoded) decoded = NULL;
      AntennaDecoderReason reason;
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (antenna_message_get_topic (message), ==, cases[i].topic);
      decoded = antenna_decoder_context_decode_message (context, message, NULL, NULL, NULL, &reason, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (antenna_decoded_get_description (decoded),
                                       antenna_decoder_get_name (antenna_decoder_find (cases[i].decoder))));
      g_assert_cmpint (reason, ==, g_str_has_prefix (cases[i].topic, "spB") ? ANTENNA_DECODER_REASON_NAMESPACE
                                                                             : ANTENNA_DECODER_REASON_RULE);

      if (cases[i].fixture != NULL && !g_str_has_prefix (cases[i].fixture, "spnode"))
        assert_value_matches (json_object_get_member (manifest_entry (cases[i].fixture), "expected"),
                              antenna_decoded_get_value (decoded));
      else if (cases[i].fixture == NULL)
        {
          g_autofree char *text = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);

          g_assert_cmpstr (text, ==, "{\"gz\":true}");
        }
    }

  /* The model followed the client: the NDATA's alias has its name. */
  {
    AntennaSparkplugNode *edge = antenna_sparkplug_model_find_node (antenna_decoder_context_get_sparkplug (context),
                                                                    "plant", "edge", NULL);
    g_autoptr(AntennaDecoded) decoded = NULL;

    g_assert_nonnull (edge);
    g_assert_true (antenna_sparkplug_node_get_online (edge));
    g_assert_cmpfloat (antenna_value_get_double (antenna_sparkplug_metric_get_value (
                         antenna_sparkplug_node_find_metric (edge, "Temperature"))), ==, 22.25);
    decoded = antenna_decoder_context_decode_message (context, g_ptr_array_index (messages, 5), NULL, NULL, NULL, NULL, NULL);
    g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (antenna_decoded_get_value (decoded), "metrics[0].name"), NULL),
                     ==, "Temperature");
  }

  antenna_test_disconnect_ok (client);
}


/* What lists, filters and charts ask of a connection: nothing decoded
 * unless a rule or the Sparkplug namespace claims the topic; the preview
 * kept on the message until the rules change; the log's payload filter
 * searching the decoded value. */
static void
test_context_views (void)
{
  /* {"t": 21.5, "u": "degC"} by python3-msgpack's rules: fixmap, fixstr, float 64. */
  static const guint8 packed[] = { 0x82, 0xa1, 't', 0xcb, 0x40, 0x35, 0x80, 0, 0, 0, 0, 0, 0xa1, 'u', 0xa4, 'd', 'e', 'g', 'C' };
  static const guint8 broken[] = { 0x81, 0xa1, 't', 0xdb, 0xff, 0xff, 0xff, 0xff };
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaDecoderContext) context = antenna_decoder_context_new (profile);
  g_autoptr(GBytes) payload = g_bytes_new_static (packed, sizeof packed);
  g_autoptr(GBytes) bad = g_bytes_new_static (broken, sizeof broken);
  g_autoptr(AntennaMessage) message = antenna_message_new ("lab/t", payload, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, 1, NULL);
  g_autoptr(AntennaMessage) bad_message = antenna_message_new ("lab/t", bad, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, 2, NULL);
  g_autoptr(AntennaMessage) other = antenna_message_new ("lab/x", payload, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, 3, NULL);
  g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("lab/t", ANTENNA_DECODER_MSGPACK);
  g_autoptr(AntennaMessageLog) log = antenna_message_log_new (100);
  g_autofree char *raw = antenna_payload_preview_line (payload, 120);
  g_autofree char *preview = NULL;
  g_autofree char *text = NULL;
  guint generation;

  g_assert_null (antenna_decoder_context_claim (context, "lab/t", NULL));
  g_assert_true (antenna_decoder_context_claim (context, "spBv1.0/g/NBIRTH/e", NULL) ==
                 antenna_decoder_find (ANTENNA_DECODER_SPARKPLUG));
  preview = antenna_decoder_context_dup_preview (context, message, 120);
  g_assert_cmpstr (preview, ==, raw);
  g_assert_null (antenna_decoder_context_dup_search_text (context, message));

  generation = antenna_decoder_context_get_generation (context);
  antenna_profile_add_decoder_rule (profile, rule);
  g_assert_cmpuint (antenna_decoder_context_get_generation (context), >, generation);
  g_assert_true (antenna_decoder_context_claim (context, "lab/t", NULL) == antenna_decoder_find (ANTENNA_DECODER_MSGPACK));
  g_assert_null (antenna_decoder_context_claim (context, "lab/x", NULL));

  g_clear_pointer (&preview, g_free);
  preview = antenna_decoder_context_dup_preview (context, message, 120);
  g_assert_nonnull (strstr (preview, "21.5"));
  g_assert_nonnull (strstr (preview, "degC"));
  text = antenna_decoder_context_dup_search_text (context, message);
  g_assert_cmpstr (text, ==, "{\"t\":21.5,\"u\":\"degC\"}");
  g_clear_pointer (&preview, g_free);
  preview = antenna_decoder_context_dup_preview (context, bad_message, 120);
  g_assert_true (g_str_has_prefix (preview, "⚠ "));

  antenna_message_log_set_decoder_context (log, context);
  antenna_message_log_add_message (log, message);
  antenna_message_log_add_message (log, bad_message);
  antenna_message_log_add_message (log, other);
  antenna_message_log_flush (log);
  antenna_message_log_set_filter (log, NULL, "21.5");
  /* The claimed one by its value; the other's bytes have no "21.5". */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  antenna_message_log_set_filter (log, NULL, "degc");
  /* The unclaimed one's bytes are not UTF-8 text: not searched. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  antenna_message_log_set_filter (log, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);

  /* A rule removed: the preview is the raw one again. */
  antenna_profile_remove_decoder_rule (profile, 0);
  g_clear_pointer (&preview, g_free);
  preview = antenna_decoder_context_dup_preview (context, message, 120);
  g_assert_cmpstr (preview, ==, raw);
}

int
main (int   argc,
      char *argv[])
{
  decoders_test_init (&argc, &argv);

  g_test_add_func ("/antenna/decoders/value/json", test_value_json);
  g_test_add_func ("/antenna/decoders/value/numbers", test_value_numbers);
  g_test_add_func ("/antenna/decoders/choose", test_choose);
  g_test_add_func ("/antenna/decoders/text", test_text_decoders);
  g_test_add_func ("/antenna/decoders/independent-encoders", test_independent_encoders);
  g_test_add_func ("/antenna/decoders/msgpack/bad", test_msgpack_bad);
  g_test_add_func ("/antenna/decoders/cbor/bad", test_cbor_bad);
  g_test_add_func ("/antenna/decoders/compressed", test_compressed);
  g_test_add_func ("/antenna/decoders/encode", test_encode);
  g_test_add_func ("/antenna/decoders/profile-rules", test_profile_rules);
  g_test_add_func ("/antenna/decoders/context-views", test_context_views);
  g_test_add_func ("/antenna/decoders/broker", test_broker);

  return decoders_test_run ();
}

