/* test-capture-cli.c: antenna-cli record, export and replay, as a person
 * or a script would run them
 *
 * Against real mosquitto brokers: mosquitto_pub publishes what is recorded,
 * Python's csv and json modules read the exports (tests/capture-helper.py),
 * and mosquitto_sub on a second broker sees what a replay publishes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "antenna-capture.h"
#include "antenna-message.h"
#include "antenna-properties.h"
#include "antenna-test-broker.h"
#include "antenna-test-utils.h"

#define WAIT_MS 60000

static char *cli_path;
static char *helper_path;
static char *python_path;

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("antenna-capture-cli-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Runs @argv to its end; its exit status, standard output and error. */
static int
run (const char * const  *argv,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return g_subprocess_get_exit_status (process);
}

static void
run_ok (const char * const *argv)
{
  g_autofree char *err = NULL;
  int status = run (argv, NULL, &err);

  if (status != 0)
    g_error ("%s %s failed (%d): %s", argv[0], argv[1], status, err);
}

static char *
checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static GSubprocess *spawn_sub (const char *port,
                               const char *count,
                               gboolean    retained_only);

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* One message mosquitto_pub sends, and what the export must say of it. */
typedef struct
{
  const char *topic;
  GBytes     *payload;
  int         qos;
  gboolean    props;
} Sent;

static void
test_record_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start (ANTENNA_TEST_BROKER_PLAIN, NULL);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
  g_autofree char *url = g_strdup_printf ("mqtt://127.0.0.1:%s", port);
  g_autofree char *capture = g_build_filename (f->dir, "session" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autofree char *csv = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *jsonl = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *expected = g_build_filename (f->dir, "expected.jsonl", NULL);
  g_autoptr(GString) expected_text = g_string_new (NULL);
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) recorder = NULL;
  g_autoptr(GDataInputStream) recorder_err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *n_text = NULL;
  Sent sent[] = {
    { "cap/text", g_bytes_new_static ("plain text", 10), 0, FALSE },
    { "cap/csv", g_bytes_new_static ("a,b,\"quoted\"\r\nnext line\n", 25), 1, FALSE },
    { "cap/utf8", g_bytes_new_static ("Zürich ✓", strlen ("Zürich ✓")), 2, FALSE },
    { "cap/binary", antenna_test_random_bytes (1024 * 1024), 1, FALSE },
    { "cap/nul", g_bytes_new_static ("a\0b", 3), 0, FALSE },
    { "cap/empty", g_bytes_new_static ("", 0), 0, FALSE },
    { "cap/props", g_bytes_new_static ("{\"v\": 1}", 8), 1, TRUE },
  };

  n_text = g_strdup_printf ("%u", (guint) G_N_ELEMENTS (sent));
  {
    const char *argv[] = { cli_path, "record", url, "-t", "cap/#", "-q", "2", "-o", capture,
                           "-C", n_text, "-W", "120", "--verbose", NULL };

    recorder = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }
  /* Published only once it is subscribed. */
  recorder_err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (recorder));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (recorder_err, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (strstr (line, "Subscribed") != NULL)
        break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/payload-%u", f->dir, i);
      g_autofree char *qos = g_strdup_printf ("%d", sent[i].qos);
      gsize size;
      const guchar *bytes = g_bytes_get_data (sent[i].payload, &size);
      g_autofree char *b64 = g_base64_encode (bytes, size);

      g_assert_true (g_file_set_contents (file, (const char *) bytes, size, NULL));
      if (sent[i].props)
        {
          const char *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5",
                                 "-t", sent[i].topic, "-q", qos, "-f", file,
                                 "-D", "publish", "content-type", "application/json",
                                 "-D", "publish", "user-property", "site", "Zürich", NULL };

          run_ok (argv);
          g_string_append_printf (expected_text,
                                  "{\"topic\": \"%s\", \"payload\": \"%s\", \"qos\": %d, \"retain\": false, "
                                  "\"content-type\": \"application/json\", \"user-properties\": [[\"site\", \"Zürich\"]]}\n",
                                  sent[i].topic, b64, sent[i].qos);
        }
      else
        {
          const char *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", sent[i].topic,
                                 "-q", qos, size > 0 ? "-f" : "-n", size > 0 ? file : NULL, NULL };

          run_ok (argv);
          g_string_append_printf (expected_text,
                                  "{\"topic\": \"%s\", \"payload\": \"%s\", \"qos\": %d, \"retain\": false}\n",
                                  sent[i].topic, b64, sent[i].qos);
        }
    }

  g_subprocess_wait (recorder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (recorder), ==, 0);

  {
    const char *to_csv[] = { cli_path, "export", capture, "-o", csv, NULL };
    const char *to_jsonl[] = { cli_path, "export", "--format", "jsonl", capture, "-o", jsonl, NULL };
    const char *check[] = { python_path, helper_path, "check", expected, csv, jsonl, NULL };
    g_autofree char *out = NULL;

    g_assert_true (g_file_set_contents (expected, expected_text->str, -1, NULL));
    run_ok (to_csv);
    run_ok (to_jsonl);
    g_autofree char *err = NULL;
    int status = run (check, &out, &err);

    /* What differs, if anything, first. */
    g_assert_cmpstr (err, ==, "");
    g_assert_cmpstr (out, ==, "");
    g_assert_cmpint (status, ==, 0);
  }

  /* A filter, to standard output: the header and one record. */
  {
    const char *argv[] = { cli_path, "export", capture, "-t", "cap/utf8", NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run (argv, &out, NULL), ==, 0);
    g_assert_cmpuint (antenna_test_count_in (out, "\r\n"), ==, 2);
    g_assert_nonnull (strstr (out, "\"cap/utf8\",2,0,received,text,\"Zürich ✓\"\r\n"));
  }

  /* Recording over an existing file: refused, the file as it was. */
  {
    g_autofree char *before = checksum_file (csv);
    g_autofree char *after = NULL;
    g_autofree char *err = NULL;
    const char *argv[] = { cli_path, "record", url, "-t", "cap/#", "-o", csv, "-C", "1", NULL };

    g_assert_cmpint (run (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "exists"));
    after = checksum_file (csv);
    g_assert_cmpstr (before, ==, after);
  }

  /* Exporting what is not a capture: a clear error, the file as it was. */
  {
    g_autofree char *before = checksum_file (csv);
    g_autofree char *after = NULL;
    g_autofree char *err = NULL;
    const char *argv[] = { cli_path, "export", csv, NULL };

    g_assert_cmpint (run (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "is not a capture of Antenna"));
    after = checksum_file (csv);
    g_assert_cmpstr (before, ==, after);
  }

  /* What was recorded from one broker, replayed into a second: mosquitto_sub
   * there sees every message with its topic, QoS and bytes. */
  {
    g_autoptr(AntennaTestBroker) second = antenna_test_broker_start (ANTENNA_TEST_BROKER_PLAIN, NULL);
    g_autofree char *second_port = g_strdup_printf ("%u", antenna_test_broker_get_port (second));
    g_autofree char *second_url = g_strdup_printf ("mqtt://127.0.0.1:%s", second_port);
    g_autoptr(GSubprocess) sub = spawn_sub (second_port, n_text, FALSE);
    g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
    g_auto(GStrv) got = NULL;
    g_autofree char *out = NULL;
    g_autofree char *want_text = NULL;
    g_autofree char *got_text = NULL;
    const char *replay[] = { cli_path, "replay", capture, second_url, "--fastest", "--yes", NULL };

    antenna_test_iterate_for (500);   /* mosquitto_sub subscribes */
    run_ok (replay);
    g_subprocess_communicate_utf8 (sub, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);

    for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
      {
        gsize size;
        const guchar *bytes = g_bytes_get_data (sent[i].payload, &size);
        GString *line = g_string_new (NULL);

        g_string_append_printf (line, "%s|%d|0|", sent[i].topic, sent[i].qos);
        for (gsize b = 0; b < size; b++)
          g_string_append_printf (line, "%02x", bytes[b]);
        g_ptr_array_add (want, g_string_free (line, FALSE));
      }
    g_ptr_array_sort (want, (GCompareFunc) compare_lines);
    g_ptr_array_add (want, NULL);
    /* One message a topic: each topic's order is kept; across topics QoS
     * 0, 1 and 2 may overtake one another. */
    got = g_strsplit (out, "\n", -1);
    g_assert_cmpuint (g_strv_length (got), ==, G_N_ELEMENTS (sent) + 1);
    g_free (got[G_N_ELEMENTS (sent)]);
    got[G_N_ELEMENTS (sent)] = NULL;
    qsort (got, G_N_ELEMENTS (sent), sizeof (char *), compare_lines);
    want_text = g_strjoinv ("\n", (char **) want->pdata);
    got_text = g_strjoinv ("\n", got);
    g_assert_cmpstr (got_text, ==, want_text);
  }

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    g_bytes_unref (sent[i].payload);
}

/* The lines of @text that start with @prefix, in order. */
static char *
lines_starting (const char *text,
                const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *kept = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      g_string_append_printf (kept, "%s\n", lines[i]);
  return g_string_free (kept, FALSE);
}

/* mosquitto_sub on @port until @count messages came: "topic|qos|retain|hex". */
static GSubprocess *
spawn_sub (const char *port,
           const char *count,
           gboolean    retained_only)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *argv[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "#", "-q", "2",
                         "-C", count, "-W", "60", "-F", "%t|%q|%r|%x", retained_only ? "--retained-only" : NULL,
                         NULL };

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start (ANTENNA_TEST_BROKER_PLAIN, NULL);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
  g_autofree char *url = g_strdup_printf ("mqtt://127.0.0.1:%s", port);
  g_autofree char *capture = g_build_filename (f->dir, "replay" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GSubprocess) sub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint n = 300;

  /* A capture of 300 messages on 3 topics, QoS 0-2, the last one retained. */
  {
    g_autoptr(AntennaCapture) writer = antenna_capture_new (capture, 0, &error);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *topic = g_strdup_printf ("plant/line%u", i % 3);
        g_autofree char *text = g_strdup_printf ("m%u", i);
        g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));
        g_autoptr(AntennaMessage) m = antenna_message_new (topic, payload, i % 3, i == n - 1, FALSE,
                                                           ANTENNA_MESSAGE_RECEIVED, 1000000 + i * 100, NULL);
        g_autofree char *hex = NULL;
        GString *h = g_string_new (NULL);

        for (const char *p = text; *p; p++)
          g_string_append_printf (h, "%02x", (guchar) *p);
        hex = g_string_free (h, FALSE);
        /* A live subscriber sees the retain flag off. */
        g_string_append_printf (expected, "test/plant/line%u|%u|0|%s\n", i % 3, i % 3, hex);
        antenna_capture_append (writer, m);
      }
    antenna_capture_stop_async (writer, NULL, antenna_test_store_result, &result);
    antenna_test_wait_result (&result, WAIT_MS);
    g_assert_true (antenna_capture_stop_finish (writer, result, &error));
  }

  /* Without --yes and no terminal to ask on: refused, naming the broker. */
  {
    const char *argv[] = { cli_path, "replay", capture, url, "--fastest", NULL };
    g_autofree char *refused = NULL;

    g_assert_cmpint (run (argv, NULL, &refused), ==, 2);
    g_assert_nonnull (strstr (refused, port));
    g_assert_nonnull (strstr (refused, "--yes"));
  }

  sub = spawn_sub (port, "300", FALSE);
  antenna_test_iterate_for (500);   /* mosquitto_sub subscribes */
  {
    const char *argv[] = { cli_path, "replay", capture, url, "--speed", "50", "--rewrite", "plant/=test/plant/",
                           "--yes", NULL };

    g_assert_cmpint (run (argv, NULL, &err), ==, 0);
  }
  g_subprocess_communicate_utf8 (sub, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  /* Every message, each topic's in recorded order (MQTT orders a topic's
   * messages; QoS 0, 1 and 2 ones on different topics may overtake). */
  g_assert_cmpuint (antenna_test_count_in (out, "\n"), ==, n);
  for (guint t = 0; t < 3; t++)
    {
      g_autofree char *prefix = g_strdup_printf ("test/plant/line%u|", t);
      g_autofree char *got = lines_starting (out, prefix);
      g_autofree char *want = lines_starting (expected->str, prefix);

      g_assert_cmpstr (got, ==, want);
    }

  /* The retained one stays on the broker, under the new name. */
  {
    g_autoptr(GSubprocess) retained = spawn_sub (port, "1", TRUE);
    g_autofree char *kept = NULL;

    g_subprocess_communicate_utf8 (retained, NULL, NULL, &kept, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kept, ==, "test/plant/line2|2|1|6d323939\n");
  }

  /* --clear-retain: the same into other topics; none of them retained. */
  {
    const char *argv[] = { cli_path, "replay", capture, url, "--fastest", "--rewrite", "plant/=clear/",
                           "--clear-retain", "-t", "plant/line2", "--yes", NULL };
    const char *check[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "clear/#",
                            "--retained-only", "-W", "2", NULL };
    g_autofree char *none = NULL;

    g_assert_cmpint (run (argv, NULL, NULL), ==, 0);
    run (check, &none, NULL);
    g_assert_cmpstr (none, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  cli_path = g_strdup (g_getenv ("ANTENNA_CLI"));
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "antenna-cli", NULL);
  helper_path = g_test_build_filename (G_TEST_DIST, "capture-helper.py", NULL);
  python_path = g_strdup (g_getenv ("ANTENNA_TEST_PYTHON"));
  if (python_path == NULL)
    python_path = g_find_program_in_path ("python3");
  g_assert_true (g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_nonnull (python_path);

  g_test_add ("/antenna/capture-cli/record-export", Fixture, NULL, fixture_setup, test_record_export, fixture_teardown);
  g_test_add ("/antenna/capture-cli/replay", Fixture, NULL, fixture_setup, test_replay, fixture_teardown);

  return antenna_test_run ();
}
