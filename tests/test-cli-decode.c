/* test-cli-decode.c: antenna-cli's decoders, the built binary
 *
 * Payloads made by encoders Antenna did not write (python3-msgpack,
 * python3-cbor2, protoc --encode: tests/decoders/make-fixtures.py, as for
 * test-decoders.c), published by mosquitto_pub to a real mosquitto, read
 * by "antenna-cli sub --decode … --format json" and compared, as parsed
 * JSON, by Python (tests/cli-helper.py check-decoded); the same files
 * through "antenna-cli decode". A payload that is not in its format: the
 * core's sentence, nothing lost, and the documented exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "antenna-decoder-rule.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-test-broker.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

/* A string literal and its length, NULs included. */
#define LITERAL(s) s, sizeof (s) - 1

/* The exit statuses antenna-cli documents. */
enum {
  EXIT_OK          = 0,
  EXIT_FAILED      = 1,
  EXIT_USAGE       = 2,
  EXIT_UNDECODABLE = 8,
};

static char *cli_path;
static char *helper_path;
static char *proto_dir;
static char *fixtures_dir;
static char *manifest_path;
static JsonArray *manifest;

static const char *
python (void)
{
  const char *p = g_getenv ("ANTENNA_TEST_PYTHON");

  /* Debian's python3, which has python3-msgpack and python3-cbor2. */
  return p != NULL ? p : "/usr/bin/python3";
}

/* Runs @argv (antenna-cli's arguments when @cli) with @input (nullable) on
 * its standard input; its exit status, standard output and error. */
static int
run (gboolean            cli,
     const char * const *argv,
     GBytes             *input,
     GBytes            **out,
     char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);

  /* This test's own directories (GLib gives them to this process only):
   * the profiles the test saved. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  /* Its words in English, to compare them. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  if (cli)
    g_ptr_array_add (args, cli_path);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  {
    g_autofree char *line = g_strjoinv (" ", (char **) args->pdata);

    g_test_message ("$ %s", line);
  }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  /* No input: an empty standard input, closed. */
  if (input == NULL)
    input = no_input;
  g_subprocess_communicate (process, input, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  if (err != NULL)
    *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  if (g_bytes_get_size (err_bytes) > 0)
    g_test_message ("stderr: %.*s", (int) g_bytes_get_size (err_bytes),
                    (const char *) g_bytes_get_data (err_bytes, NULL));
  if (out != NULL)
    *out = g_steal_pointer (&out_bytes);
  return g_subprocess_get_exit_status (process);
}

static int
run_cli (const char * const  *argv,
         GBytes              *input,
         GBytes             **out,
         char               **err)
{
  return run (TRUE, argv, input, out, err);
}

/* cli-helper.py check-decoded on @out: fails the test with what differs. */
static void
check_decoded (GBytes     *out,
               const char *name)
{
  g_autofree char *path = g_build_filename (fixtures_dir, "output.json", NULL);
  const char *argv[] = { python (), helper_path, "check-decoded", manifest_path, path, name, NULL };
  g_autoptr(GBytes) report = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_file_set_contents (path, g_bytes_get_data (out, NULL), g_bytes_get_size (out), &error);
  g_assert_no_error (error);
  status = run (FALSE, argv, NULL, &report, NULL);
  if (status != 0)
    g_error ("antenna-cli's decoding differs from the encoders':\n%.*s", (int) g_bytes_get_size (report),
             (const char *) g_bytes_get_data (report, NULL));
  g_unlink (path);
}

/* @out is the text @want. */
static void
assert_output (GBytes     *out,
               const char *want)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

  g_assert_cmpuint (g_bytes_get_size (out), ==, strlen (want));
  g_assert_cmpstr (text, ==, want);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* The fixtures of @decoder (NULL-terminated array of their manifest
 * objects, borrowed). */
static GPtrArray *
fixtures_of (const char *decoder)
{
  GPtrArray *entries = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (manifest); i++)
    {
      JsonObject *entry = json_array_get_object_element (manifest, i);

      if (g_str_equal (json_object_get_string_member (entry, "decoder"), decoder))
        g_ptr_array_add (entries, entry);
    }
  g_assert_cmpuint (entries->len, >, 0);
  return entries;
}

/* The options Protocol Buffers payloads need, appended to @args. */
static void
add_schema_options (GPtrArray  *args,
                    JsonObject *entry)
{
  static char *proto_file;

  if (!json_object_has_member (entry, "message-type"))
    return;
  if (proto_file == NULL)
    proto_file = g_build_filename (proto_dir, "reading.proto", NULL);
  g_ptr_array_add (args, (char *) "--proto");
  g_ptr_array_add (args, proto_file);
  g_ptr_array_add (args, (char *) "-I");
  g_ptr_array_add (args, proto_dir);
  g_ptr_array_add (args, (char *) "--message");
  g_ptr_array_add (args, (char *) json_object_get_string_member (entry, "message-type"));
}

/* sub --decode DECODER --format json: every fixture of the decoder,
 * published (retained, so that nothing races the subscription) by
 * mosquitto_pub on cli/dec/DECODER/NAME, compared by Python. */
static void
test_sub_decode (void)
{
  static const char * const decoders[] = { "msgpack", "cbor", "protobuf" };
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));

  for (guint d = 0; d < G_N_ELEMENTS (decoders); d++)
    {
      g_autoptr(GPtrArray) entries = fixtures_of (decoders[d]);
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *filter = g_strdup_printf ("cli/dec/%s/#", decoders[d]);
      g_autofree char *count = g_strdup_printf ("%u", entries->len);
      g_autoptr(GBytes) out = NULL;
      const char *fixed[] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", filter, "-C", count, "-W", "60",
                              "--format", "json", "--decode", decoders[d] };

      for (guint i = 0; i < entries->len; i++)
        {
          JsonObject *entry = g_ptr_array_index (entries, i);
          g_autofree char *topic = g_strdup_printf ("cli/dec/%s/%s", decoders[d],
                                                    json_object_get_string_member (entry, "name"));
          g_autoptr(GBytes) payload = read_bytes (json_object_get_string_member (entry, "file"));
          g_autoptr(GError) error = NULL;

          antenna_test_pub_full (broker, topic, payload, 1, TRUE, NULL, &error);
          g_assert_no_error (error);
        }

      for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
        g_ptr_array_add (args, (char *) fixed[i]);
      add_schema_options (args, g_ptr_array_index (entries, 0));
      g_ptr_array_add (args, NULL);

      g_assert_cmpint (run_cli ((const char * const *) args->pdata, NULL, &out, NULL), ==, EXIT_OK);
      check_decoded (out, NULL);
    }
}

static JsonObject *
fixture_named (const char *name)
{
  for (guint i = 0; i < json_array_get_length (manifest); i++)
    {
      JsonObject *entry = json_array_get_object_element (manifest, i);

      if (g_str_equal (json_object_get_string_member (entry, "name"), name))
        return entry;
    }
  g_assert_not_reached ();
}

/* --decode auto with a saved connection: its decoder rules and its .proto
 * files, as the app would use them; and "decode --profile". */
static void
test_sub_decode_profile_rules (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaDecoderRule) msgpack_rule = antenna_decoder_rule_new ("cli/rules/mp/#", "msgpack");
  g_autoptr(AntennaDecoderRule) protobuf_rule = antenna_decoder_rule_new ("cli/rules/pb/#", "protobuf");
  g_autofree char *reading = g_build_filename (proto_dir, "reading.proto", NULL);
  const char *files[] = { reading, NULL };
  const char *paths[] = { proto_dir, NULL };
  static const struct {
    const char *fixture;
    const char *topic;
  } sent[] = {
    { "msgpack-types", "cli/rules/mp/msgpack-types" },
    { "protobuf-reading", "cli/rules/pb/protobuf-reading" },
  };
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  antenna_profile_store_load (store, NULL, &error);
  g_assert_no_error (error);
  antenna_profile_set_name (profile, "Decoding Rules");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_decoder_rule_set_message_type (protobuf_rule, "acme.sensors.Reading");
  antenna_profile_add_decoder_rule (profile, msgpack_rule);
  antenna_profile_add_decoder_rule (profile, protobuf_rule);
  antenna_profile_set_proto_files (profile, files);
  antenna_profile_set_proto_import_paths (profile, paths);
  antenna_profile_store_add (store, profile);
  antenna_profile_store_save (store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autoptr(GBytes) payload = read_bytes (json_object_get_string_member (fixture_named (sent[i].fixture), "file"));

      antenna_test_pub_full (broker, sent[i].topic, payload, 1, TRUE, NULL, &error);
      g_assert_no_error (error);
    }

  g_assert_cmpint (run_cli ((const char *[]) { "sub", "--profile", "Decoding Rules", "-t", "cli/rules/#", "-C", "2",
                                               "-W", "60", "--format", "json", "--decode", "auto", NULL },
                            NULL, &out, NULL), ==, EXIT_OK);
  check_decoded (out, NULL);
  g_clear_pointer (&out, g_bytes_unref);

  g_assert_cmpint (run_cli ((const char *[]) { "decode", "--profile", "Decoding Rules", "-t", "cli/rules/pb/x",
                                               json_object_get_string_member (fixture_named ("protobuf-reading"), "file"),
                                               NULL }, NULL, &out, NULL), ==, EXIT_OK);
  check_decoded (out, "protobuf-reading");
}

/* --decode auto: the app's detection (JSON, text, hex); a payload that is
 * not in the chosen format: the core's sentence, in the JSON and on
 * standard error in text, and the payload itself all the same. */
static void
test_sub_decode_auto_and_errors (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("{\"a\": [1, 2.5, null]}"));
  g_autoptr(GBytes) broken = g_bytes_new_static (LITERAL ("\xc1\xff"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(JsonNode) line = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  antenna_test_pub_full (broker, "cli/auto/json", json_payload, 1, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_cli ((const char *[]) { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/auto/#", "-C", "1",
                                               "-W", "60", "--format", "json", "--decode", "auto", NULL },
                            NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  line = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (line);
  g_assert_cmpstr (json_object_get_string_member (object, "decoder"), ==, "json");
  g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (
                       json_object_get_object_member (object, "decoded"), "a"), 1), ==, 2.5);
  g_clear_pointer (&line, json_node_unref);
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);

  antenna_test_pub_full (broker, "cli/broken", broken, 1, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_cli ((const char *[]) { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/broken", "-C", "1",
                                               "-W", "60", "--format", "json", "--decode", "msgpack", NULL },
                            NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  line = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (line);
  g_assert_false (json_object_has_member (object, "decoded"));
  g_assert_cmpstr (json_object_get_string_member (object, "decode-error"), ==,
                   "MessagePack, byte 0: 0xc1 starts no MessagePack value.");
  g_assert_cmpstr (json_object_get_string_member (object, "payload"), ==, "wf8=");
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);

  /* Text: the payload as without --decode, the reason on standard error. */
  g_assert_cmpint (run_cli ((const char *[]) { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/broken", "-C", "1",
                                               "-W", "60", "--decode", "msgpack", NULL },
                            NULL, &out, &err), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_cmpstr (text, ==, "cli/broken [2 bytes] c1 ff\n");
  g_assert_nonnull (strstr (err, "cli/broken: MessagePack, byte 0: 0xc1 starts no MessagePack value."));
}

/* antenna-cli decode on the encoders' files, and from standard input. */
static void
test_decode_files (void)
{
  static const char * const decoders[] = { "msgpack", "cbor", "protobuf" };

  for (guint d = 0; d < G_N_ELEMENTS (decoders); d++)
    {
      g_autoptr(GPtrArray) entries = fixtures_of (decoders[d]);

      for (guint i = 0; i < entries->len; i++)
        {
          JsonObject *entry = g_ptr_array_index (entries, i);
          const char *file = json_object_get_string_member (entry, "file");
          g_autoptr(GPtrArray) args = g_ptr_array_new ();
          g_autoptr(GBytes) out = NULL;
          g_autoptr(GBytes) out_stdin = NULL;
          g_autoptr(GBytes) payload = read_bytes (file);

          g_ptr_array_add (args, (char *) "decode");
          g_ptr_array_add (args, (char *) "--format");
          g_ptr_array_add (args, (char *) decoders[d]);
          add_schema_options (args, entry);
          g_ptr_array_add (args, (char *) file);
          g_ptr_array_add (args, NULL);
          g_assert_cmpint (run_cli ((const char * const *) args->pdata, NULL, &out, NULL), ==, EXIT_OK);
          check_decoded (out, json_object_get_string_member (entry, "name"));

          /* The same from standard input ("-"). */
          args->pdata[args->len - 2] = (char *) "-";
          g_assert_cmpint (run_cli ((const char * const *) args->pdata, payload, &out_stdin, NULL), ==, EXIT_OK);
          g_assert_true (g_bytes_equal (out, out_stdin));
        }
    }
}

/* Auto: JSON as JSON, text as a string, and Sparkplug B by its topic; gzip
 * then detection. */
static void
test_decode_auto (void)
{
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("[1, {\"b\": \"c\"}]"));
  g_autoptr(GBytes) text_payload = g_bytes_new_static (LITERAL ("h\xc3\xa9llo"));
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1));
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  JsonObject *sparkplug = fixture_named ("sparkplug-arrays");

  g_assert_cmpint (run_cli ((const char *[]) { "decode", NULL }, json_payload, &out, NULL), ==, EXIT_OK);
  assert_output (out, ("[1,{\"b\":\"c\"}]\n"));
  g_clear_pointer (&out, g_bytes_unref);

  g_assert_cmpint (run_cli ((const char *[]) { "decode", "--format", "auto", "--verbose", "-", NULL },
                            text_payload, &out, &err), ==, EXIT_OK);
  assert_output (out, ("\"h\xc3\xa9llo\"\n"));
  g_assert_nonnull (strstr (err, "Decoded as Text."));
  g_clear_pointer (&out, g_bytes_unref);

  /* gzip, then JSON by detection. */
  raw = g_memory_input_stream_new_from_bytes (json_payload);
  stream = g_converter_input_stream_new (raw, compressor);
  g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  gz = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_cmpint (run_cli ((const char *[]) { "decode", "--format", "gzip", NULL }, gz, &out, NULL), ==, EXIT_OK);
  assert_output (out, ("[1,{\"b\":\"c\"}]\n"));
  g_clear_pointer (&out, g_bytes_unref);

  /* gzip, then what --then says: JSON as text. */
  g_assert_cmpint (run_cli ((const char *[]) { "decode", "--format", "gzip", "--then", "text", NULL }, gz, &out, NULL),
                   ==, EXIT_OK);
  assert_output (out, ("\"[1, {\\\"b\\\": \\\"c\\\"}]\"\n"));
  g_clear_pointer (&out, g_bytes_unref);

  /* Sparkplug B by its topic's namespace: the metrics, by name. */
  g_assert_cmpint (run_cli ((const char *[]) { "decode", "-t", json_object_get_string_member (sparkplug, "topic"),
                                               json_object_get_string_member (sparkplug, "file"), NULL },
                            NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_nonnull (strstr (text, "\"bdSeq\""));
  g_assert_nonnull (strstr (text, "\"metrics\""));
}

/* What goes wrong says why, with its own exit status. */
static void
test_decode_errors (void)
{
  g_autoptr(GBytes) broken = g_bytes_new_static (LITERAL ("\x92\x01"));
  g_autofree char *reading = g_build_filename (proto_dir, "reading.proto", NULL);
  /* Those that read the payload get it on standard input; the others stop
   * before reading it (a pipe they have closed: EPIPE). */
  static const struct {
    const char *args[8];
    int         status;
    const char *says;
  } cases[] = {
    /* An array of 2 with 1 item: cut short. */
    { { "decode", "--format", "msgpack", NULL }, EXIT_UNDECODABLE, "MessagePack, byte " },
    { { "decode", "--format", "cbor", NULL }, EXIT_UNDECODABLE, "CBOR" },
    { { "decode", "--format", "gzip", NULL }, EXIT_UNDECODABLE, "" },
    { { "decode", "--format", "yaml", NULL }, EXIT_USAGE, "“yaml” is not a decoder: auto, text, json" },
    { { "decode", "--message", "acme.sensors.Reading", NULL }, EXIT_USAGE, "--message needs the .proto files" },
    { { "decode", "--format", "cbor", "--message", "X", NULL }, EXIT_USAGE, "--message is for --decode protobuf" },
    { { "decode", "a", "b", NULL }, EXIT_USAGE, "Give one file" },
    { { "decode", "--format", "msgpack", "--then", "cbor", NULL }, EXIT_USAGE, "--then is for --decode gzip or zlib" },
    { { "sub", "-t", "a", "--then", "cbor", NULL }, EXIT_USAGE, "--then is for --decode gzip or zlib" },
    /* As "pub -f" says it: the file named on the command line. */
    { { "decode", "/nonexistent/antenna-cli-payload", NULL }, EXIT_USAGE, "there is no such file" },
    { { "sub", "-t", "a", "--format", "raw", "--decode", "auto", NULL }, EXIT_USAGE, "--decode is for --format text or json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_autoptr(GBytes) out = NULL;
      int status = run_cli (cases[i].args, cases[i].status == EXIT_UNDECODABLE ? broken : NULL, &out, &err);

      if (status != cases[i].status || strstr (err, cases[i].says) == NULL || g_bytes_get_size (out) != 0)
        g_error ("case %u (%s %s …): exit %d, said “%s”, expected %d and “%s”",
                 i, cases[i].args[0], cases[i].args[1], status, err, cases[i].status, cases[i].says);
    }

  /* A message type the .proto files do not have, and a schema that does
   * not parse: said before anything is read. */
  {
    g_autofree char *err = NULL;
    g_autofree char *bad_proto = g_build_filename (fixtures_dir, "bad.proto", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (run_cli ((const char *[]) { "decode", "--proto", reading, "-I", proto_dir, "--message",
                                                 "acme.sensors.Nothing", NULL }, NULL, NULL, &err),
                     ==, EXIT_FAILED);
    g_assert_nonnull (strstr (err, "The message type “acme.sensors.Nothing” is in none of"));
    g_clear_pointer (&err, g_free);

    g_file_set_contents (bad_proto, "syntax = \"proto3\";\nmessage A { int32 x = ; }\n", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (run_cli ((const char *[]) { "decode", "--proto", bad_proto, "--message", "A", NULL },
                              NULL, NULL, &err), ==, EXIT_FAILED);
    g_assert_nonnull (strstr (err, "bad.proto:2:"));
  }
}

/* The command is listed, and says its options and exit status 8. */
static void
test_decode_help (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli ((const char *[]) { "--help", NULL }, NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_nonnull (strstr (text, "  decode "));
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "decode", "--help", NULL }, NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_nonnull (strstr (text, "--proto=FILE"));
  g_assert_nonnull (strstr (text, "--message=TYPE"));
  g_assert_nonnull (strstr (text, "  8  decode: "));
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "sub", "--help", NULL }, NULL, &out, NULL), ==, EXIT_OK);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_nonnull (strstr (text, "--decode=DECODER"));
  g_assert_nonnull (strstr (text, "--proto-path=DIR"));
}

static void
make_fixtures (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "decoders", "make-fixtures.py", NULL);
  g_autofree char *srcdir = g_test_build_filename (G_TEST_DIST, "decoders", NULL);
  g_autofree char *sparkplug = g_test_build_filename (G_TEST_DIST, "..", "src", "core", "schemas",
                                                      "sparkplug_b.proto", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  fixtures_dir = g_dir_make_tmp ("antenna-cli-decode-XXXXXX", &error);
  g_assert_no_error (error);
  if (run (FALSE, (const char *[]) { python (), script, fixtures_dir, srcdir, sparkplug, NULL }, NULL, NULL, &err) != 0)
    g_error ("make-fixtures.py failed: %s", err);

  manifest_path = g_build_filename (fixtures_dir, "manifest.json", NULL);
  contents = antenna_test_read_file (manifest_path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  manifest = json_array_ref (json_node_get_array (root));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  cli_path = g_strdup (g_getenv ("ANTENNA_CLI"));
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "antenna-cli", NULL);
  helper_path = g_test_build_filename (G_TEST_DIST, "cli-helper.py", NULL);
  proto_dir = g_test_build_filename (G_TEST_DIST, "decoders", "proto", NULL);
  g_assert_true (g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE));
  make_fixtures ();

  g_test_add_func ("/antenna/cli/sub/decode", test_sub_decode);
  g_test_add_func ("/antenna/cli/sub/decode-auto-errors", test_sub_decode_auto_and_errors);
  g_test_add_func ("/antenna/cli/sub/decode-profile-rules", test_sub_decode_profile_rules);
  g_test_add_func ("/antenna/cli/decode/help", test_decode_help);
  g_test_add_func ("/antenna/cli/decode/files", test_decode_files);
  g_test_add_func ("/antenna/cli/decode/auto", test_decode_auto);
  g_test_add_func ("/antenna/cli/decode/errors", test_decode_errors);

  status = antenna_test_run ();
  antenna_test_remove_tree (fixtures_dir);
  return status;
}
