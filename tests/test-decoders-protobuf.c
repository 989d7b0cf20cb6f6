/* test-decoders-protobuf.c: Protocol Buffers and Sparkplug B, against
 * encoders Antenna did not write
 *
 * The wire view and schema decoding against protoc --encode and
 * python3-protobuf, bad input, our .proto reader's errors; Sparkplug B
 * payloads from npm's sparkplug-payload, the model (aliases, seq, bdSeq)
 * and the rebirth request. Fixtures: antenna-test-decoders.c.
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

/* Sparkplug B: the view of a payload from npm's sparkplug-payload */

static AntennaValue *
metric_value (AntennaValue *view,
              const char   *name)
{
  AntennaValue *metrics = antenna_value_lookup (view, "metrics");

  for (guint i = 0; i < antenna_value_get_n_children (metrics); i++)
    {
      AntennaValue *metric = antenna_value_get_child (metrics, i);
      AntennaValue *n = antenna_value_lookup (metric, "name");

      if (n != NULL && g_str_equal (antenna_value_get_string (n, NULL), name))
        return antenna_value_lookup (metric, "value");
    }
  g_error ("no metric %s", name);
}

static char *
metric_json (AntennaValue *view,
             const char   *name)
{
  return antenna_value_to_json (metric_value (view, name), FALSE);
}

static void
test_sparkplug_types (void)
{
  g_autoptr(GBytes) py = fixture ("sparkplug-arrays");
  g_autoptr(GBytes) protoc = fixture ("sparkplug-arrays-protoc");
  g_autoptr(AntennaDecoded) a = decode_ok (ANTENNA_DECODER_SPARKPLUG, py, NULL, NULL, NULL);
  g_autoptr(AntennaDecoded) b = decode_ok (ANTENNA_DECODER_SPARKPLUG, protoc, NULL, NULL, NULL);
  AntennaValue *view = antenna_decoded_get_value (a);
  static const struct {
    const char *metric;
    const char *json;
  } expected[] = {
    { "bdSeq", "3" },
    { "i8", "-5" },
    { "i16", "-300" },
    { "u64", "9223372036854775813" },
    { "i8s", "[-23,123]" },
    { "i32s", "[123456789,-987654321]" },
    { "u16s", "[1,65535]" },
    { "floats", "[1.5,-0.25]" },
    { "doubles", "[12.5,-1e+300]" },
    { "bools", "[false,false,true,true,false,true,false,false,true,true,false,true]" },
    { "strings", "[\"ABC\",\"hello\"]" },
    { "dates", "[\"2023-11-14T22:13:20.123Z\",\"1970-01-01T00:00:00Z\"]" },
    { "when", "\"2023-11-14T22:13:20.123Z\"" },
    { "props", "2.5" },
    { "tmpl", "{\"template_ref\":\"Motor\",\"parameters\":{\"rpm\":1500},\"metrics\":[{\"name\":\"speed\",\"type\":\"Float\",\"value\":0.5}]}" },
    { "nothing", "null" },
  };

  /* Two encoders of the same schema, one payload. */
  g_assert_true (antenna_value_equal (view, antenna_decoded_get_value (b)));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *json = metric_json (view, expected[i].metric);

      g_assert_cmpstr (json, ==, expected[i].json);
    }

  {
    g_autofree char *props = antenna_value_to_json (antenna_value_lookup_path (view, "metrics[13].properties"), FALSE);

    g_assert_cmpstr (props, ==, "{\"engUnit\":\"°C\",\"limits\":{\"low\":-10}}");
  }
  g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (view, "metrics[1].type"), NULL), ==, "Int8");
  g_assert_true (antenna_value_get_kind (antenna_value_lookup_path (view, "timestamp")) == ANTENNA_VALUE_TIMESTAMP);
}


/* Protocol Buffers */

static void
test_protobuf_wire (void)
{
  g_autoptr(GBytes) reading = fixture ("protobuf-reading");
  g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_PROTOBUF, reading, NULL, NULL, NULL);
  AntennaValue *v = antenna_decoded_get_value (decoded);
  AntennaValue *key;

  /* Field numbers for keys, in wire order. */
  key = antenna_value_get_key (v, 0);
  g_assert_cmpint (antenna_value_get_kind (key), ==, ANTENNA_VALUE_INT);
  g_assert_cmpint (antenna_value_get_int (key), ==, 1);
  g_assert_cmpstr (antenna_value_get_string (antenna_value_get_child (v, 0), NULL), ==, "sensor-7");

  {
    /* sint32 -3 is varint 5: its readings in the annotation. */
    AntennaValue *offset = antenna_value_get_child (v, 3);

    g_assert_cmpint (antenna_value_get_int (offset), ==, 5);
    g_assert_cmpstr (antenna_value_get_annotation (offset), ==, "varint · signed 5 · zigzag -3");
  }
  {
    /* The nested location message, and the repeated "extra" map entries as a list. */
    g_autofree char *location = NULL;
    g_autofree char *samples = NULL;

    for (guint i = 0; i < antenna_value_get_n_children (v); i++)
      {
        gint64 number = antenna_value_get_int (antenna_value_get_key (v, i));

        if (number == 12)
          location = antenna_value_to_json (antenna_value_get_child (v, i), FALSE);
        if (number == 13)
          samples = antenna_value_to_json (antenna_value_get_child (v, i), FALSE);
        if (number == 15)
          g_assert_cmpuint (antenna_value_get_n_children (antenna_value_get_child (v, i)), ==, 2);
      }
    g_assert_cmpstr (location, ==, "{\"1\":4632022585494732800,\"2\":4612248968380809216}");
    /* Packed [1, -2, 300]: int32 -2 is a ten-byte varint. */
    g_assert_cmpstr (samples, ==, "[1,18446744073709551614,300]");
  }
}

static void
test_protobuf_bad (void)
{
  g_autoptr(AntennaDecoderContext) context = antenna_decoder_context_new (NULL);
  g_autofree char *reading = source_path ("proto/reading.proto");
  g_autofree char *include = source_path ("proto");
  g_autoptr(AntennaProtoSchema) schema = NULL;
  g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("#", ANTENNA_DECODER_PROTOBUF);
  g_autoptr(GBytes) payload = fixture ("protobuf-reading");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  schema = antenna_proto_schema_load ((const char *[]) { reading, NULL }, (const char *[]) { include, NULL }, &error);
  g_assert_no_error (error);
  antenna_decoder_context_set_schema (context, schema);
  antenna_decoder_rule_set_message_type (rule, "acme.sensors.Reading");

  assert_every_prefix_fails_cleanly (ANTENNA_DECODER_PROTOBUF, payload);

  /* A length far beyond the payload. */
  {
    g_autoptr(GBytes) absurd = bytes_of ("\x0a\xff\xff\xff\xff\x0f" "ab", 8);

    message = decode_error (ANTENNA_DECODER_PROTOBUF, absurd, rule, context, NULL);
    g_assert_cmpstr (message, ==, "Protocol Buffers, byte 0: field 1 announces 4294967295 bytes, but only 2 remain.");
    g_clear_pointer (&message, g_free);
  }

  /* Not this message: the field, its type, what came, where. */
  {
    g_autoptr(GBytes) wrong = bytes_of ("\x0a\x01x\x10\x05", 5);

    message = decode_error (ANTENNA_DECODER_PROTOBUF, wrong, rule, context, NULL);
    g_assert_cmpstr (message, ==,
                     "Protocol Buffers, byte 3: the field “temperature” (2) of acme.sensors.Reading is of type double, but the payload has a varint there.");
    g_clear_pointer (&message, g_free);
  }

  /* A type the schema does not have. */
  {
    g_autoptr(AntennaDecoderRule) other = antenna_decoder_rule_copy (rule);

    antenna_decoder_rule_set_message_type (other, "acme.sensors.Nothing");
    message = decode_error (ANTENNA_DECODER_PROTOBUF, payload, other, context, NULL);
    g_assert_cmpstr (message, ==, "The message type “acme.sensors.Nothing” is in none of the connection’s .proto files.");
    g_clear_pointer (&message, g_free);
  }

  /* Fields the schema does not know: kept, by number. */
  {
    g_autoptr(GBytes) newer = bytes_of ("\x0a\x01x\xa8\x06\x2a", 6);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_PROTOBUF, newer, rule, context, NULL);
    g_autofree char *json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);

    g_assert_cmpstr (json, ==, "{\"device\":\"x\",\"101\":42}");
  }

  /* Invalid UTF-8 in a string field. */
  {
    g_autoptr(GBytes) bad = bytes_of ("\x0a\x03" "a\xfe" "b", 5);
    g_autoptr(AntennaDecoded) decoded = decode_ok (ANTENNA_DECODER_PROTOBUF, bad, rule, context, NULL);

    g_assert_cmpstr (antenna_value_get_annotation (antenna_value_lookup (antenna_decoded_get_value (decoded), "device")),
                     ==, "not valid UTF-8 at byte 3");
  }

  /* Nesting beyond the limit (a message in itself, 100 deep). */
  {
    g_autoptr(GByteArray) nested = g_byte_array_new ();
    g_autoptr(GBytes) deep = NULL;
    g_autoptr(AntennaDecoded) decoded = NULL;

    for (guint i = 0; i < 100; i++)
      {
        /* field 1, length of what follows: build from the inside out. */
        guint8 head[2] = { 0x0a, (guint8) nested->len };

        if (nested->len > 127)
          break;
        g_byte_array_prepend (nested, head, 2);
      }
    deep = g_bytes_new (nested->data, nested->len);
    decoded = decode_ok (ANTENNA_DECODER_PROTOBUF, deep, NULL, NULL, &(AntennaDecodeLimits) { .max_depth = 10 });
    {
      AntennaValue *v = antenna_decoded_get_value (decoded);
      guint depth = 0;

      /* Ten levels of messages (the top one and nine nested), then the
       * bytes below the limit as what else they read as. */
      while (antenna_value_get_kind (v) == ANTENNA_VALUE_MAP && antenna_value_get_n_children (v) > 0)
        {
          v = antenna_value_get_child (v, 0);
          depth++;
        }
      g_assert_cmpuint (depth, ==, 10);
      g_assert_cmpint (antenna_value_get_kind (v), !=, ANTENNA_VALUE_MAP);
    }
  }
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (parent, 0700);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_proto_schema_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-proto-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.proto", NULL);
  g_autofree char *b = g_build_filename (dir, "b.proto", NULL);
  g_autofree char *c = g_build_filename (dir, "c.proto", NULL);
  g_autofree char *d = g_build_filename (dir, "d.proto", NULL);
  g_autofree char *inc = g_build_filename (dir, "inc", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProtoSchema) schema = NULL;
  g_auto(GStrv) names = NULL;

  write_file (dir, "a.proto", "syntax = \"proto3\";\nimport \"missing/units.proto\";\nmessage A { int32 x = 1; }\n");
  write_file (dir, "b.proto", "syntax = \"proto3\";\npackage p;\nmessage B {\n  Unit unit = 1;\n}\n");
  write_file (dir, "c.proto", "syntax = \"proto3\";\nmessage C {\n  int32 x 1;\n}\n");
  write_file (dir, "d.proto", "syntax = \"proto2\";\npackage q;\nimport \"inc/e.proto\";\n"
              "message D { optional q.e.E e = 1; map<int32, D> children = 2; oneof o { string s = 3; } "
              "reserved 9; extensions 100 to max; message N { enum K { Z = 0; } optional K k = 1; } optional N n = 4; }\n"
              "service S { rpc Get (D) returns (D); }\n");
  write_file (dir, "inc/e.proto", "syntax = \"proto2\"; package q.e; message E { optional string v = 1; }\n");

  schema = antenna_proto_schema_load ((const char *[]) { a, NULL }, (const char *[]) { inc, NULL }, &error);
  g_assert_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_MISSING_IMPORT);
  expected = g_strdup_printf ("%s:2: the import “missing/units.proto” is in none of these folders: %s, %s.", a, inc, dir);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  schema = antenna_proto_schema_load ((const char *[]) { b, NULL }, NULL, &error);
  g_assert_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_UNKNOWN_TYPE);
  expected = g_strdup_printf ("%s: unknown type “Unit” for the field “unit” of p.B (is an import missing?).", b);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  schema = antenna_proto_schema_load ((const char *[]) { c, NULL }, NULL, &error);
  g_assert_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_SYNTAX);
  expected = g_strdup_printf ("%s:3:11: expected “=” after the field name, found “1”.", c);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* A character outside ASCII where a name should be: named whole. */
  {
    g_autoptr(AntennaProtoSchema) none = antenna_proto_schema_new_from_text ("e.proto", "message M { int32 \xc3\xa9 = 1; }", &error);

    g_assert_null (none);
    g_assert_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "e.proto:1:19: expected a field name, found “é”.");
    g_clear_error (&error);
  }

  /* A package is identifiers joined by single dots. */
  {
    g_autoptr(AntennaProtoSchema) none = antenna_proto_schema_new_from_text ("p.proto", "package .ab;", &error);

    g_assert_null (none);
    g_assert_cmpstr (error->message, ==, "p.proto:1:9: “.ab” is not valid as a package name.");
    g_clear_error (&error);
  }

  /* What people write: nested types, imports by path, map, oneof,
   * reserved, extensions, services. */
  schema = antenna_proto_schema_load ((const char *[]) { d, NULL }, NULL, &error);
  g_assert_no_error (error);
  names = antenna_proto_schema_list_messages (schema);
  {
    g_autofree char *joined = g_strjoinv (",", names);

    g_assert_cmpstr (joined, ==, "q.D,q.D.N,q.e.E");
  }
}

/* Sparkplug: the model, aliases, seq, bdSeq, the rebirth request */

static AntennaMessage *
message_new (const char *topic,
             GBytes     *payload)
{
  return antenna_message_new (topic, payload, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL);
}

static AntennaDecoded *
decode_message_ok (AntennaDecoderContext *context,
                   AntennaMessage        *message)
{
  g_autoptr(GError) error = NULL;
  AntennaDecoded *decoded = antenna_decoder_context_decode_message (context, message, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return decoded;
}

static void
test_sparkplug_model (void)
{
  g_autoptr(AntennaDecoderContext) context = antenna_decoder_context_new (NULL);
  AntennaSparkplugModel *model = antenna_decoder_context_get_sparkplug (context);
  const char *names[] = { "nbirth", "ndata1", "ndata3", "dbirth", "ddata", "ndeath", "ncmd" };
  const char *topics[] = {
    "spBv1.0/plant/NBIRTH/edge", "spBv1.0/plant/NDATA/edge", "spBv1.0/plant/NDATA/edge",
    "spBv1.0/plant/DBIRTH/edge/dev1", "spBv1.0/plant/DDATA/edge/dev1", "spBv1.0/plant/NDEATH/edge",
    "spBv1.0/plant/NCMD/edge",
  };
  AntennaMessage *messages[G_N_ELEMENTS (names)];
  AntennaSparkplugNode *edge;
  AntennaSparkplugNode *device;
  AntennaSparkplugMetric *metric;

  /* An alias before any birth: decoded, named by nothing. */
  {
    g_autoptr(GBytes) payload = fixture ("spnode-ndata1");
    g_autoptr(AntennaMessage) early = message_new (topics[1], payload);
    g_autoptr(AntennaDecoded) decoded = decode_message_ok (context, early);

    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_UNRESOLVED_ALIAS);
    assert_note_contains (decoded, "2 metrics are sent by alias");
    g_assert_null (antenna_value_lookup_path (antenna_decoded_get_value (decoded), "metrics[0].name"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strconcat ("spnode-", names[i], NULL);
      g_autoptr(GBytes) payload = fixture (name);

      messages[i] = message_new (topics[i], payload);
      antenna_sparkplug_model_add_message (model, messages[i]);

      if (i == 1)
        {
          /* After the birth and the first data. */
          edge = antenna_sparkplug_model_find_node (model, "plant", "edge", NULL);
          g_assert_nonnull (edge);
          g_assert_true (antenna_sparkplug_node_get_online (edge));
          g_assert_cmpint (antenna_sparkplug_node_get_bdseq (edge), ==, 7);
          metric = antenna_sparkplug_node_find_metric (edge, "Temperature");
          g_assert_nonnull (metric);
          g_assert_cmpfloat (antenna_value_get_double (antenna_sparkplug_metric_get_value (metric)), ==, 22.25);
          g_assert_cmpstr (antenna_sparkplug_metric_get_units (metric), ==, "degC");
          g_assert_cmpstr (antenna_sparkplug_metric_get_datatype (metric), ==, "Float");
          g_assert_cmpint (antenna_sparkplug_metric_get_timestamp (metric), ==, 1700000001000);
          g_assert_cmpint (antenna_value_get_int (antenna_sparkplug_metric_get_value (
                             antenna_sparkplug_node_find_metric (edge, "Count"))), ==, 13);
        }
    }

  /* The group, the edge node, its device. */
  g_assert_cmpuint (g_list_model_get_n_items (antenna_sparkplug_model_get_groups (model)), ==, 1);
  edge = antenna_sparkplug_model_find_node (model, "plant", "edge", NULL);
  device = antenna_sparkplug_model_find_node (model, "plant", "edge", "dev1");
  g_assert_nonnull (device);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_sparkplug_node_get_children (edge)), ==, 1);
  g_assert_cmpuint (antenna_value_get_uint (antenna_sparkplug_metric_get_value (
                      antenna_sparkplug_node_find_metric (device, "Pressure"))), ==, 1020);

  /* Aliases named from the birth, in the message as it came. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_message_ok (context, messages[1]);
    AntennaValue *view = antenna_decoded_get_value (decoded);

    g_assert_cmpint (antenna_decoded_get_flags (decoded), ==, ANTENNA_DECODED_NONE);
    g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (view, "metrics[0].name"), NULL), ==, "Temperature");
    g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (view, "metrics[1].name"), NULL), ==, "Count");
    g_assert_cmpint (antenna_value_get_int (antenna_value_lookup_path (view, "metrics[1].value")), ==, 13);
  }

  /* seq 3 after 1: a gap, on that message. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_message_ok (context, messages[2]);

    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_SEQ_GAP);
    assert_note_contains (decoded, "seq 3 where 2 was due: 1 message of this edge node is missing");
    g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (antenna_decoded_get_value (decoded), "metrics[0].name"), NULL),
                     ==, "Level");
  }

  /* The DBIRTH follows seq 3 with 4: no gap. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_message_ok (context, messages[4]);

    g_assert_cmpint (antenna_decoded_get_flags (decoded), ==, ANTENNA_DECODED_NONE);
    g_assert_cmpstr (antenna_value_get_string (antenna_value_lookup_path (antenna_decoded_get_value (decoded), "metrics[0].name"), NULL),
                     ==, "Pressure");
  }

  /* An NDEATH of bdSeq 6 after the NBIRTH's 7: flagged, and the node stays. */
  {
    g_autoptr(AntennaDecoded) decoded = decode_message_ok (context, messages[5]);

    g_assert_true (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_BDSEQ_MISMATCH);
    assert_note_contains (decoded, "bdSeq 6 does not match the NBIRTH’s 7");
    g_assert_true (antenna_sparkplug_node_get_online (edge));
  }

  /* The right death: the node and its devices go offline. */
  {
    g_autoptr(GBytes) death = NULL;
    g_autoptr(AntennaMessage) message = NULL;
    const char *text = "metrics { name: \"bdSeq\" datatype: 4 long_value: 7 }";
    g_autofree char *proto = sparkplug_proto_path ();
    g_autofree char *dir = g_path_get_dirname (proto);
    g_autofree char *include = g_strconcat ("-I", dir, NULL);
    g_autofree char *path = g_build_filename (fixtures_get_dir (), "ndeath7.bin", NULL);
    g_autofree char *script = g_strdup_printf ("import subprocess, sys; open(sys.argv[1], 'wb').write(subprocess.run(['protoc', '%s', "
                                               "'--encode=org.eclipse.tahu.protobuf.Payload', 'sparkplug_b.proto'], "
                                               "input=sys.argv[2].encode(), capture_output=True, check=True).stdout)", include);
    g_autofree char *out = run_ok ((const char *[]) { python (), "-c", script, path, text, NULL }, NULL);
    char *data;
    gsize len;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    death = g_bytes_new_take (data, len);
    message = message_new ("spBv1.0/plant/NDEATH/edge", death);
    antenna_sparkplug_model_add_message (model, message);
    g_assert_false (antenna_sparkplug_node_get_online (edge));
    g_assert_false (antenna_sparkplug_node_get_online (device));
  }

  /* STATE of a host application (3.0: JSON). */
  {
    g_autoptr(GBytes) state = bytes_of ("{\"online\": true, \"timestamp\": 1700000000000}", 44);
    g_autoptr(AntennaMessage) message = message_new ("spBv1.0/STATE/scada", state);
    g_autoptr(AntennaSparkplugNode) host = NULL;
    g_autoptr(AntennaDecoded) decoded = NULL;
    g_autofree char *json = NULL;

    antenna_sparkplug_model_add_message (model, message);
    host = g_list_model_get_item (antenna_sparkplug_model_get_hosts (model), 0);
    g_assert_cmpstr (antenna_sparkplug_node_get_name (host), ==, "scada");
    g_assert_true (antenna_sparkplug_node_get_online (host));
    decoded = decode_message_ok (context, message);
    json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);
    g_assert_cmpstr (json, ==, "{\"online\":true,\"timestamp\":1700000000000}");
  }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_unref (messages[i]);
}

static void
test_sparkplug_topics_and_rebirth (void)
{
  AntennaSparkplugMessageType type;
  g_autofree char *group = NULL;
  g_autofree char *edge = NULL;
  g_autofree char *device = NULL;
  g_autoptr(GBytes) rebirth = antenna_sparkplug_build_rebirth (1700000000000);
  g_autofree char *topic = antenna_sparkplug_build_rebirth_topic ("plant", "edge");
  g_autofree char *proto = sparkplug_proto_path ();
  g_autofree char *dir = g_path_get_dirname (proto);
  g_autofree char *path = g_build_filename (fixtures_get_dir (), "rebirth.bin", NULL);
  g_autofree char *include = g_strconcat ("-I", dir, NULL);
  g_autofree char *script = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_sparkplug_parse_topic ("spBv1.0/g/DDATA/e/d", &type, &group, &edge, &device));
  g_assert_cmpint (type, ==, ANTENNA_SPARKPLUG_DDATA);
  g_assert_cmpstr (device, ==, "d");
  g_assert_false (antenna_sparkplug_parse_topic ("spBv1.0/g/NDATA/e/d", NULL, NULL, NULL, NULL));
  g_assert_false (antenna_sparkplug_parse_topic ("spBv1.0/g/XDATA/e", NULL, NULL, NULL, NULL));
  g_assert_false (antenna_sparkplug_parse_topic ("spAv1.0/g/NDATA/e", NULL, NULL, NULL, NULL));
  g_assert_true (antenna_sparkplug_parse_topic ("spBv1.0/STATE/host", &type, NULL, NULL, NULL));
  g_assert_cmpint (type, ==, ANTENNA_SPARKPLUG_STATE);

  /* The rebirth request, read back by protoc. */
  g_assert_cmpstr (topic, ==, "spBv1.0/plant/NCMD/edge");
  g_file_set_contents (path, g_bytes_get_data (rebirth, NULL), (gssize) g_bytes_get_size (rebirth), &error);
  g_assert_no_error (error);
  script = g_strdup_printf ("import subprocess, sys; sys.stdout.write(subprocess.run(['protoc', '%s', "
                            "'--decode=org.eclipse.tahu.protobuf.Payload', 'sparkplug_b.proto'], "
                            "stdin=open(sys.argv[1], 'rb'), capture_output=True, check=True).stdout.decode())", include);
  text = run_ok ((const char *[]) { python (), "-c", script, path, NULL }, NULL);
  g_assert_cmpstr (text, ==,
                   "timestamp: 1700000000000\n"
                   "metrics {\n"
                   "  name: \"Node Control/Rebirth\"\n"
                   "  timestamp: 1700000000000\n"
                   "  datatype: 11\n"
                   "  boolean_value: true\n"
                   "}\n");
}

int
main (int   argc,
      char *argv[])
{
  decoders_test_init (&argc, &argv);

  g_test_add_func ("/antenna/decoders/sparkplug/types", test_sparkplug_types);
  g_test_add_func ("/antenna/decoders/protobuf/wire", test_protobuf_wire);
  g_test_add_func ("/antenna/decoders/protobuf/bad", test_protobuf_bad);
  g_test_add_func ("/antenna/decoders/proto-schema/errors", test_proto_schema_errors);
  g_test_add_func ("/antenna/decoders/sparkplug/model", test_sparkplug_model);
  g_test_add_func ("/antenna/decoders/sparkplug/topics-rebirth", test_sparkplug_topics_and_rebirth);

  return decoders_test_run ();
}

