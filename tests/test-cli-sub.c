/* test-cli-sub.c: antenna-cli sub, the built binary, as a person or a script runs it
 *
 * Against real mosquitto brokers: what mosquitto_pub sent, printed as JSON
 * Lines (read back by Python's json module, tests/cli-helper.py) or raw,
 * a count and a timeout, a persistent session, a saved connection's
 * subscriptions. Running antenna-cli: antenna-test-cli.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-cli.h"
#include "antenna-test-bus.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

/* ------------------------------------------------------------------------ */
/* sub                                                                       */

typedef struct
{
  const char *topic;
  GBytes     *payload;
  int         qos;         /* as published */
  gboolean    retain;
  const char *properties;  /* as antenna-cli prints them (JSON), NULL: {} */
  const char * const *extra;  /* mosquitto_pub arguments */
} Sent;

static void
append_expected (GString    *expected,
                 const Sent *sent,
                 int         sub_qos,
                 const char *payload_file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, sent->topic);
  if (payload_file != NULL)
    {
      json_builder_set_member_name (builder, "payload-file");
      json_builder_add_string_value (builder, payload_file);
    }
  else
    {
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (sent->payload, NULL),
                                              g_bytes_get_size (sent->payload));

      json_builder_set_member_name (builder, "payload");
      json_builder_add_string_value (builder, b64);
    }
  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, MIN (sent->qos, sub_qos));
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, sent->retain);
  json_builder_set_member_name (builder, "properties");
  json_builder_add_value (builder, json_from_string (sent->properties ? sent->properties : "{}", NULL));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  g_string_append (expected, line);
  g_string_append_c (expected, '\n');
}

/* tests/cli-helper.py check-json, Python's json module on the output. */
static void
check_json_output (const char *expected,
                   const char *output_path)
{
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_path = g_build_filename (g_get_user_cache_dir (), "expected.jsonl", NULL);
  g_autofree char *out = NULL;

  g_file_set_contents (expected_path, expected, -1, &error);
  g_assert_no_error (error);
  helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                             python_path, helper_path, "check-json", expected_path, output_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (helper, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("check-json: %s", out);
  if (!g_subprocess_get_successful (helper))
    g_error ("antenna-cli's JSON is not what mosquitto_pub sent: %s", out);
  g_unlink (expected_path);
}

static void
publish (AntennaTestBroker *broker,
         const Sent        *sent)
{
  g_autoptr(GError) error = NULL;

  antenna_test_pub_full (broker, sent->topic, sent->payload, sent->qos, sent->retain, sent->extra, &error);
  g_assert_no_error (error);
}

/* sub --format json, parsed by Python: text and binary payloads, an empty
 * one, QoS, a retained message, MQTT 5 properties. */
static void
test_sub_json (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) text = g_bytes_new_static (LITERAL ("hello, \xe2\x98\x83 \"quoted\" \\ tab\tnewline\n"));
  g_autoptr(GBytes) binary = binary_payload (1000);
  g_autoptr(GBytes) nul = g_bytes_new_static (LITERAL ("a\0b"));
  g_autoptr(GBytes) bad_utf8 = g_bytes_new_static (LITERAL ("caf\xe9"));
  g_autoptr(GBytes) empty = g_bytes_new_static (LITERAL (""));
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("{\"a\": [1, 2.5, null]}"));
  static const char * const v5[] = { "-V", "5", NULL };
  static const char * const props[] = {
    "-V", "5",
    "-D", "publish", "content-type", "application/x-test",
    "-D", "publish", "payload-format-indicator", "1",
    "-D", "publish", "response-topic", "cli/reply",
    "-D", "publish", "correlation-data", "corr-123",
    "-D", "publish", "message-expiry-interval", "3600",
    "-D", "publish", "user-property", "k1", "v1",
    "-D", "publish", "user-property", "k2", "v 2",
    NULL };
  const Sent retained = { "cli/json/retained", text, 1, TRUE, NULL, v5 };
  const Sent sent[] = {
    { "cli/json/text", text, 0, FALSE, NULL, v5 },
    { "cli/json/binary", binary, 1, FALSE, NULL, v5 },
    { "cli/json/nul", nul, 2, FALSE, NULL, v5 },
    { "cli/json/latin1", bad_utf8, 1, FALSE, NULL, v5 },
    { "cli/json/empty", empty, 1, FALSE, NULL, v5 },
    { "cli/json/json", json_payload, 2, FALSE, NULL, v5 },
    { "cli/json/properties", text, 1, FALSE,
      "{\"content-type\": \"application/x-test\", \"payload-format\": 1, "
      "\"response-topic\": \"cli/reply\", \"correlation-data\": \"Y29yci0xMjM=\", "
      "\"message-expiry\": 3600, \"user-properties\": [[\"k1\", \"v1\"], [\"k2\", \"v 2\"]]}",
      props },
  };
  g_autofree char *count = g_strdup_printf ("%u", (guint) G_N_ELEMENTS (sent) + 1);
  const char *args[] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/json/#", "-q", "2",
                         "--format", "json", "-C", count, "-W", "60", "--verbose", NULL };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(Cli) cli = NULL;

  publish (broker, &retained);
  append_expected (expected, &retained, 2, NULL);

  cli = cli_spawn (args);
  cli_wait_for_err (cli, "Subscribed");
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      publish (broker, &sent[i]);
      append_expected (expected, &sent[i], 2, NULL);
    }

  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  check_json_output (expected->str, cli->out_path);

  /* The check fails on a difference: the same output against one byte changed. */
  {
    g_autoptr(GString) wrong = g_string_new (NULL);
    g_autoptr(GBytes) changed = g_bytes_new_static (LITERAL ("hello, \xe2\x98\x83 \"quoted\" \\ tab\tnewline!"));
    Sent other = retained;
    g_autoptr(GSubprocess) helper = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "wrong.jsonl", NULL);

    other.payload = changed;
    append_expected (wrong, &other, 2, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
      append_expected (wrong, &sent[i], 2, NULL);
    g_file_set_contents (path, wrong->str, -1, &error);
    g_assert_no_error (error);
    helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                               python_path, helper_path, "check-json", path, cli->out_path, NULL);
    g_assert_no_error (error);
    g_subprocess_wait (helper, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (g_subprocess_get_successful (helper));
  }
}

/* One 64 MiB binary payload through --format json (Base64), byte for byte. */
static void
test_sub_json_large (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) large = binary_payload (64 * 1024 * 1024);
  g_autofree char *file = write_temp_file ("large.bin", large);
  const char *args[] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/large", "-q", "1",
                         "--format", "json", "-C", "1", "-W", "120", "--verbose", NULL };
  static const char * const v5[] = { "-V", "5", NULL };
  const Sent sent = { "cli/large", large, 1, FALSE, NULL, v5 };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(Cli) cli = cli_spawn (args);

  cli_wait_for_err (cli, "Subscribed");
  publish (broker, &sent);
  append_expected (expected, &sent, 1, file);
  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  check_json_output (expected->str, cli->out_path);
  g_unlink (file);
}

/* raw: the bytes and a newline, as mosquitto_sub; text: TOPIC PAYLOAD, hex
 * for what is not text; --decode auto pretty-prints JSON. */
static void
test_sub_raw_text (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) abc = g_bytes_new_static (LITERAL ("abc"));
  g_autoptr(GBytes) binary = g_bytes_new_static (LITERAL ("\x00\x01\xff"));
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("{\"a\":[1,2]}"));
  const Sent sent[] = {
    { "cli/fmt/a", abc, 0, FALSE, NULL, NULL },
    { "cli/fmt/b", binary, 0, FALSE, NULL, NULL },
    { "cli/fmt/j", json_payload, 0, FALSE, NULL, NULL },
  };
  static const struct {
    const char *format[4];
    const char *want;
    gsize       want_len;
  } cases[] = {
    { { "--format", "raw", NULL }, LITERAL ("abc\n\x00\x01\xff\n{\"a\":[1,2]}\n") },
    { { "--format", "raw", "-N", NULL }, LITERAL ("abc\x00\x01\xff{\"a\":[1,2]}") },
    { { "--format", "text", NULL }, LITERAL ("cli/fmt/a abc\ncli/fmt/b [3 bytes] 00 01 ff\ncli/fmt/j {\"a\":[1,2]}\n") },
    { { "--decode", "auto", NULL }, LITERAL ("cli/fmt/a abc\ncli/fmt/b 00000000  00 01 ff") },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *args[16] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/fmt/#", "-C", "3",
                               "-W", "60", "--verbose", NULL };
      g_autoptr(Cli) cli = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) want = g_bytes_new_static (cases[c].want, cases[c].want_len);
      guint n = 12;

      for (guint i = 0; cases[c].format[i] != NULL; i++)
        args[n++] = cases[c].format[i];
      cli = cli_spawn (args);
      cli_wait_for_err (cli, "Subscribed");
      for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
        publish (broker, &sent[i]);
      g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
      out = cli_get_output (cli);

      if (c < 3)
        assert_bytes_equal (out, want);
      else
        {
          /* The app's formats: a hex dump with offsets, JSON indented. */
          g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

          g_assert_true (g_str_has_prefix (text, cases[c].want));
          g_assert_nonnull (strstr (text, "cli/fmt/j {\n  \"a\""));
        }
    }
}

/* --count and --timeout: stop after N; stop after S seconds, status 5 when
 * fewer than --count came. */
static void
test_sub_count_timeout (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) payload = g_bytes_new_static (LITERAL ("m"));
  const Sent sent = { "cli/count", payload, 1, FALSE, NULL, NULL };

  /* -C 2 of 3: two lines, status 0. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/count", "-q", "1", "--format", "raw",
                           "-C", "2", "-W", "60", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);
    g_autofree char *out = NULL;

    cli_wait_for_err (cli, "Subscribed");
    for (guint i = 0; i < 3; i++)
      publish (broker, &sent);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
    out = cli_get_output_text (cli);
    g_assert_cmpstr (out, ==, "m\nm\n");
  }

  /* -W alone: status 0 when the time is up, and until then it listens (a
   * message published once it is subscribed is printed: it did not end at
   * once). */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/count", "--format", "raw", "-W", "2", "--verbose",
                           NULL };
    g_autoptr(Cli) cli = cli_spawn (args);
    g_autofree char *out = NULL;

    cli_wait_for_err (cli, "Subscribed");
    publish (broker, &sent);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
    out = cli_get_output_text (cli);
    g_assert_cmpstr (out, ==, "m\n");
  }

  /* -W 1 -C 3 with one message: status 5, the one printed. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/count", "--format", "raw", "-C", "3",
                           "-W", "2", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);
    g_autofree char *out = NULL;

    cli_wait_for_err (cli, "Subscribed");
    publish (broker, &sent);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_TIMEOUT);
    g_assert_nonnull (strstr (cli->err->str, "Timed out after 2 s: 1 of 3 messages arrived."));
    out = cli_get_output_text (cli);
    g_assert_cmpstr (out, ==, "m\n");
  }

  /* -E: out once subscribed. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/e", "-E", NULL };

    g_assert_cmpint (cli_run (args, NULL), ==, EXIT_OK);
  }

  /* SIGTERM: a clean end, status 0. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/term", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);

    cli_wait_for_err (cli, "Subscribed");
    g_subprocess_send_signal (cli->process, SIGTERM);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  }
}

/* A persistent session (-c -i): what was queued while away comes right
 * with the CONNACK, and every message of it is printed, in order. */
static void
test_sub_persistent_session (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  const char *setup[] = { "sub", "-p", port, "-t", "cli/queue", "-q", "1", "-c", "-i", "cli-persistent",
                          "-E", NULL };
  const char *fill[] = { "pub", "-p", port, "-t", "cli/queue", "-q", "1", "-l", NULL };
  const char *drain[] = { "sub", "-p", port, "-t", "cli/queue", "-q", "1", "-c", "-i", "cli-persistent",
                          "--format", "raw", "-C", "5000", "-W", "60", NULL };
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (cli_run (setup, NULL), ==, EXIT_OK);
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (lines, "%u\n", i);
  g_assert_cmpint (cli_run_full (fill, lines->str, NULL, NULL), ==, EXIT_OK);
  g_assert_cmpint (cli_run_full (drain, NULL, &out, NULL), ==, EXIT_OK);
  g_assert_cmpstr (out, ==, lines->str);
}

/* A saved connection's subscriptions, when no -t is given. */
static void
test_sub_profile_subscriptions (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaSubscription) saved = antenna_subscription_new ("cli/saved/#", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static (LITERAL ("saved"));
  const Sent sent = { "cli/saved/1", payload, 1, FALSE, NULL, NULL };
  const Sent other = { "cli/other", payload, 1, FALSE, NULL, NULL };
  const char *args[] = { "sub", "--profile", "Saved Subs", "--format", "text", "-C", "1", "-W", "60",
                         "--verbose", NULL };
  g_autoptr(Cli) cli = NULL;
  g_autofree char *out = NULL;

  antenna_profile_set_name (profile, "Saved Subs");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_add_subscription (profile, saved);
  antenna_profile_store_add (store, profile);
  antenna_profile_store_save (store, &error);
  g_assert_no_error (error);

  cli = cli_spawn (args);
  cli_wait_for_err (cli, "Subscribed");
  publish (broker, &other);
  publish (broker, &sent);
  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  g_assert_nonnull (strstr (cli->err->str, "Password: none."));
  out = cli_get_output_text (cli);
  g_assert_cmpstr (out, ==, "cli/saved/1 saved\n");
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  cli_test_init ();

  g_test_add_func ("/antenna/cli/sub/json", test_sub_json);
  g_test_add_func ("/antenna/cli/sub/json-64mib", test_sub_json_large);
  g_test_add_func ("/antenna/cli/sub/raw-text", test_sub_raw_text);
  g_test_add_func ("/antenna/cli/sub/count-timeout", test_sub_count_timeout);
  g_test_add_func ("/antenna/cli/sub/persistent-session", test_sub_persistent_session);
  g_test_add_func ("/antenna/cli/sub/profile-subscriptions", test_sub_profile_subscriptions);

  return antenna_test_run ();
}
