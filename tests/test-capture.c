/* test-capture.c: recording to capture files and reading them back
 *
 * Real files in a temporary folder, a real mosquitto and mosquitto_pub, a
 * recording process killed with SIGKILL, a disk that fills (RLIMIT_FSIZE in
 * a child), files that are damaged or not ours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "antenna-capture.h"
#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"
#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-properties.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-utils.h"
#include "antenna-topic-tree.h"

#define WAIT_MS 60000
#define CHILD_ENV "ANTENNA_TEST_CAPTURE_CHILD"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("antenna-capture-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "test" ANTENNA_CAPTURE_SUFFIX, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
stop_ok (AntennaCapture *capture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  antenna_capture_stop_async (capture, NULL, antenna_test_store_result, &result);
  antenna_test_wait_result (&result, WAIT_MS);
  g_assert_true (antenna_capture_stop_finish (capture, result, &error));
  g_assert_no_error (error);
  g_assert_false (antenna_capture_get_recording (capture));
}

static AntennaProperties *
make_properties (guint i)
{
  AntennaProperties *props = antenna_properties_new ();
  g_autofree char *value = g_strdup_printf ("value %u “ü”", i);

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("reply/here");
  props->correlation_data = g_bytes_new ("\0\1\2corr", 7);
  props->message_expiry = 3600;
  antenna_properties_add_user_property (props, "name", value);
  antenna_properties_add_user_property (props, "name", "twice");
  g_array_append_val (props->subscription_ids, i);
  return props;
}

static void
assert_same_message (AntennaMessage *a,
                     AntennaMessage *b)
{
  g_assert_cmpstr (antenna_message_get_topic (a), ==, antenna_message_get_topic (b));
  g_assert_true (g_bytes_equal (antenna_message_get_payload (a), antenna_message_get_payload (b)));
  g_assert_cmpint (antenna_message_get_qos (a), ==, antenna_message_get_qos (b));
  g_assert_cmpint (antenna_message_get_retain (a), ==, antenna_message_get_retain (b));
  g_assert_cmpint (antenna_message_get_dup (a), ==, antenna_message_get_dup (b));
  g_assert_cmpint (antenna_message_get_direction (a), ==, antenna_message_get_direction (b));
  g_assert_cmpint (antenna_message_get_timestamp (a), ==, antenna_message_get_timestamp (b));
  g_assert_true (antenna_properties_equal (antenna_message_get_properties (a),
                                           antenna_message_get_properties (b)));
}

static GPtrArray *
read_all (AntennaCaptureReader *reader,
          const AntennaCaptureQuery *query,
          guint                 page_size)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  AntennaCaptureCursor cursor;

  antenna_capture_cursor_init (&cursor);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = antenna_capture_reader_read_page (reader, query, &cursor, page_size, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->len, <=, page_size);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
    }
  return all;
}

static char *
checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* ---- what is written comes back ---- */

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) some = NULL;
  const char *filters[] = { "sensors/+/temp", "#", NULL };
  AntennaCaptureQuery query;
  gint64 first = 0, last = 0;
  gint64 t0 = 1700000000000000;

  g_assert_no_error (error);
  g_assert_true (antenna_capture_get_recording (capture));
  antenna_capture_set_filters (capture, filters);

  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *topic = g_strdup_printf ("sensors/%u/%s", i % 7, i % 2 ? "temp" : "hum");
      g_autofree char *text = g_strdup_printf ("reading %u", i);
      g_autoptr(GBytes) payload = i % 5 == 0 ? antenna_test_random_bytes (100 + i)
                                             : g_bytes_new (text, strlen (text));
      g_autoptr(AntennaProperties) props = i % 3 == 0 ? make_properties (i) : NULL;

      if (i == 17)
        g_clear_pointer (&payload, g_bytes_unref);  /* an empty one */
      g_ptr_array_add (written, antenna_message_new (topic, payload, i % 3, i % 4 == 0, i % 11 == 0,
                                                     i % 9 == 0 ? ANTENNA_MESSAGE_SENT : ANTENNA_MESSAGE_RECEIVED,
                                                     t0 + i * 1000, props));
    }
  /* One at a time and in batches, as the app hands them over. */
  for (guint i = 0; i < 100; i++)
    antenna_capture_append (capture, g_ptr_array_index (written, i));
  {
    g_autoptr(GPtrArray) rest = g_ptr_array_new ();

    for (guint i = 100; i < written->len; i++)
      g_ptr_array_add (rest, g_ptr_array_index (written, i));
    antenna_capture_append_batch (capture, rest);
  }
  g_assert_cmpuint (antenna_capture_get_n_queued (capture), ==, 2500);
  stop_ok (capture);
  g_assert_cmpuint (antenna_capture_get_n_written (capture), ==, 2500);
  g_assert_null (antenna_capture_get_error (capture));

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (antenna_capture_reader_get_schema_version (reader), ==, 1);
  g_assert_cmpint (antenna_capture_reader_count (reader, NULL, &error), ==, 2500);
  g_assert_true (antenna_capture_reader_get_time_range (reader, &first, &last, &error));
  g_assert_cmpint (first, ==, t0);
  g_assert_cmpint (last, ==, t0 + 2499 * 1000);

  all = read_all (reader, NULL, 333);
  g_assert_cmpuint (all->len, ==, 2500);
  for (guint i = 0; i < all->len; i++)
    {
      assert_same_message (g_ptr_array_index (written, i), g_ptr_array_index (all, i));
      /* What a message takes in memory, and so how much of a topic's
       * history the tree's budget keeps, is that of the message recorded:
       * one without properties comes back without. */
      g_assert_cmpuint (antenna_topic_tree_history_cost (g_ptr_array_index (all, i)), ==,
                        antenna_topic_tree_history_cost (g_ptr_array_index (written, i)));
    }

  /* Queries: a topic filter, payload text, a time range, and all three. */
  antenna_capture_query_init (&query);
  query.topic_filter = "sensors/3/#";
  some = read_all (reader, &query, 50);
  g_assert_cmpint (antenna_capture_reader_count (reader, &query, &error), ==, some->len);
  g_assert_cmpuint (some->len, ==, 357);
  for (guint i = 0; i < some->len; i++)
    g_assert_true (g_str_has_prefix (antenna_message_get_topic (g_ptr_array_index (some, i)), "sensors/3/"));
  g_clear_pointer (&some, g_ptr_array_unref);

  antenna_capture_query_init (&query);
  query.payload_text = "reading 124";   /* 124, 1240 … 1249 */
  g_assert_cmpint (antenna_capture_reader_count (reader, &query, &error), ==, 1 + 8);

  antenna_capture_query_init (&query);
  query.time_from = t0 + 1000 * 1000;
  query.time_to = t0 + 1999 * 1000;
  g_assert_cmpint (antenna_capture_reader_count (reader, &query, &error), ==, 1000);
  query.topic_filter = "sensors/+/temp";
  query.payload_text = "reading 1";
  some = read_all (reader, &query, 7);
  g_assert_cmpuint (some->len, >, 0);
  for (guint i = 0; i < some->len; i++)
    {
      AntennaMessage *m = g_ptr_array_index (some, i);

      g_assert_true (g_str_has_suffix (antenna_message_get_topic (m), "/temp"));
      g_assert_cmpint (antenna_message_get_timestamp (m), >=, query.time_from);
      g_assert_cmpint (antenna_message_get_timestamp (m), <=, query.time_to);
    }
  g_assert_no_error (error);
}

typedef struct
{
  guint n;
  guint with_subscription;
  guint temp_matched;
} ForeachCount;

static gboolean
count_cb (gint64          id,
          AntennaMessage *message,
          const char     *subscription,
          gpointer        user_data)
{
  ForeachCount *count = user_data;

  count->n++;
  if (subscription != NULL)
    count->with_subscription++;
  if (g_strcmp0 (subscription, "a/+/temp") == 0)
    count->temp_matched++;
  /* Sent messages have no subscription. */
  if (antenna_message_get_direction (message) == ANTENNA_MESSAGE_SENT)
    g_assert_null (subscription);
  return TRUE;
}

/* A capture stopped before its first message opens, and holds nothing:
 * the count of everything, two lookups of the first and the last id, is 0
 * and not an error. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GPtrArray) all = NULL;
  AntennaCaptureQuery query;
  gint64 first = -1, last = -1;

  g_assert_no_error (error);
  stop_ok (capture);

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (antenna_capture_reader_count (reader, NULL, &error), ==, 0);
  g_assert_no_error (error);
  antenna_capture_query_init (&query);
  query.time_from = 0;
  g_assert_cmpint (antenna_capture_reader_count (reader, &query, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_false (antenna_capture_reader_get_time_range (reader, &first, &last, &error));
  g_assert_no_error (error);
  all = read_all (reader, NULL, 10);
  g_assert_cmpuint (all->len, ==, 0);
}

static void
test_subscription (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  const char *filters[] = { "a/+/temp", "a/#", NULL };
  const char *topics[] = { "a/1/temp", "a/1/hum", "b/x" };
  ForeachCount count = { 0, };

  g_assert_no_error (error);
  antenna_capture_set_filters (capture, filters);
  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    {
      g_autoptr(AntennaMessage) m = antenna_message_new (topics[i], NULL, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL);
      g_autoptr(AntennaMessage) s = antenna_message_new (topics[i], NULL, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_SENT, g_get_real_time (), NULL);

      antenna_capture_append (capture, m);
      antenna_capture_append (capture, s);
    }
  stop_ok (capture);

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (antenna_capture_reader_foreach (reader, NULL, count_cb, &count, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count.n, ==, 6);
  g_assert_cmpuint (count.with_subscription, ==, 2);   /* b/x matches neither */
  g_assert_cmpuint (count.temp_matched, ==, 1);        /* the first that matches */
}

/* ---- a session with mosquitto ---- */

static void
run_ok (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %s", argv[0], err);
}

static void
test_broker_session (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start (ANTENNA_TEST_BROKER_PLAIN, NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaCapture) capture = NULL;
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = antenna_test_random_bytes (64 * 1024 * 1024);
  g_autofree char *big_file = g_build_filename (f->dir, "big.bin", NULL);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
  guint n_received;

  g_assert_true (g_file_set_contents (big_file, g_bytes_get_data (big, NULL), g_bytes_get_size (big), NULL));

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  client = antenna_client_new (profile);
  capture = antenna_capture_new (f->path, 0, &error);
  g_assert_no_error (error);
  /* What the app does: the client's messages both ways, and its
   * subscriptions as the filters. */
  antenna_capture_attach_client (capture, client);
  antenna_test_collect_messages (client, seen);
  antenna_test_connect_ok (client, NULL);
  antenna_test_subscribe_ok (client, "session/#", 2);

  /* mosquitto_pub: text, MQTT 5 properties, retain, QoS 2, 64 MiB. */
  {
    const char *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5",
                           "-t", "session/props", "-q", "1", "-m", "{\"t\": 21.5}",
                           "-D", "publish", "content-type", "application/json",
                           "-D", "publish", "user-property", "site", "Zürich",
                           "-D", "publish", "response-topic", "session/reply",
                           "-D", "publish", "correlation-data", "abc123",
                           "-D", "publish", "message-expiry-interval", "600",
                           "-D", "publish", "payload-format-indicator", "1", NULL };
    const char *retained[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "session/retained",
                               "-q", "2", "-r", "-m", "kept", NULL };
    const char *large[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "session/big",
                            "-q", "1", "-f", big_file, NULL };

    run_ok (argv);
    run_ok (retained);
    run_ok (large);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("sent %u", i);
      g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));

      g_assert_true (antenna_test_publish (client, "session/mine", payload, 1, FALSE, NULL, &error));
      g_assert_no_error (error);
    }
  /* Our own 3 come back too (subscribed to session/#). */
  n_received = antenna_test_wait_messages (seen, 6, WAIT_MS);
  g_assert_cmpuint (n_received, ==, 6);
  antenna_test_disconnect_ok (client);
  stop_ok (capture);
  g_clear_object (&capture);

  /* Reopened, as after a restart: every message byte for byte. */
  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  all = read_all (reader, NULL, 4);
  g_assert_cmpuint (all->len, ==, 9);
  {
    guint r = 0, s = 0;

    for (guint i = 0; i < all->len; i++)
      {
        AntennaMessage *m = g_ptr_array_index (all, i);

        if (antenna_message_get_direction (m) == ANTENNA_MESSAGE_RECEIVED)
          assert_same_message (g_ptr_array_index (seen, r++), m);
        else
          {
            g_autofree char *text = g_strdup_printf ("sent %u", s++);
            g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));

            g_assert_cmpstr (antenna_message_get_topic (m), ==, "session/mine");
            g_assert_true (g_bytes_equal (antenna_message_get_payload (m), payload));
            g_assert_cmpint (antenna_message_get_qos (m), ==, 1);
          }
      }
    g_assert_cmpuint (r, ==, 6);
    g_assert_cmpuint (s, ==, 3);
  }
  /* Received ones came through session/#, sent ones through none. */
  {
    ForeachCount count = { 0, };

    g_assert_true (antenna_capture_reader_foreach (reader, NULL, count_cb, &count, NULL, &error));
    g_assert_cmpuint (count.n, ==, 9);
    g_assert_cmpuint (count.with_subscription, ==, 6);
  }
  /* What mosquitto_pub sent, checked on its own terms too. */
  {
    AntennaCaptureQuery query;
    g_autoptr(GPtrArray) one = NULL;
    AntennaProperties *props;

    antenna_capture_query_init (&query);
    query.topic_filter = "session/props";
    one = read_all (reader, &query, 10);
    g_assert_cmpuint (one->len, ==, 1);
    props = antenna_message_get_properties (g_ptr_array_index (one, 0));
    g_assert_cmpstr (props->content_type, ==, "application/json");
    g_assert_cmpstr (props->response_topic, ==, "session/reply");
    g_assert_cmpint (props->message_expiry, <=, 600);
    g_assert_cmpint (props->payload_format, ==, 1);
    g_assert_cmpuint (props->user_properties->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (props->user_properties, 1), ==, "Zürich");
    g_clear_pointer (&one, g_ptr_array_unref);

    query.topic_filter = "session/big";
    one = read_all (reader, &query, 10);
    g_assert_cmpuint (one->len, ==, 1);
    g_assert_true (g_bytes_equal (antenna_message_get_payload (g_ptr_array_index (one, 0)), big));
  }
}

/* ---- a recording process killed, and one whose disk fills ---- */

static int
child_main (const char *mode,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = NULL;
  gboolean full = g_str_equal (mode, "full");
  gboolean failed = FALSE;
  gsize payload_size = full ? 16 * 1024 : 32;
  guint64 n = 0;

  if (full)
    {
      struct rlimit limit = { 16 * 1024 * 1024, 16 * 1024 * 1024 };

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
    }

  capture = antenna_capture_new (path, 0, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      /* Full: ~16 MB/s, ~8 MB a transaction: some commit before the 16 MB limit. */
      for (guint i = 0; i < (full ? 10 : 200); i++, n++)
        {
          g_autofree char *topic = g_strdup_printf ("flood/%" G_GUINT64_FORMAT, n % 100);
          char *text = g_malloc0 (payload_size);

          g_snprintf (text, payload_size, "%" G_GUINT64_FORMAT, n);
          g_ptr_array_add (batch, antenna_message_new (topic, g_bytes_new_take (text, payload_size), 0,
                                                       FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED,
                                                       (gint64) n, NULL));
        }
      antenna_capture_append_batch (capture, batch);
      g_main_context_iteration (NULL, FALSE);
      if (!antenna_capture_get_recording (capture))
        {
          failed = TRUE;
          break;
        }
      /* The parent kills once enough is committed. */
      if (!full && antenna_capture_get_n_written (capture) >= 20000)
        {
          static gboolean said;

          if (!said)
            {
              printf ("ready\n");
              fflush (stdout);
              said = TRUE;
            }
        }
      g_usleep (full ? 10000 : 2000);
    }

  g_assert_true (failed);
  /* Let the main context hear it. */
  while (antenna_capture_get_error (capture) == NULL)
    g_main_context_iteration (NULL, TRUE);
  printf ("%s\n%d\n%" G_GUINT64_FORMAT "\n", g_quark_to_string (antenna_capture_get_error (capture)->domain),
          antenna_capture_get_error (capture)->code, antenna_capture_get_n_written (capture));
  printf ("%s\n", antenna_capture_get_error (capture)->message);
  fflush (stdout);
  return 0;
}

static GSubprocess *
spawn_child (const char *mode,
             const char *path)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  g_subprocess_launcher_setenv (launcher, CHILD_ENV, mode, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, self, path, NULL);
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  guint64 next;
  gboolean in_order;
} Prefix;

static gboolean
check_prefix_cb (gint64          id,
                 AntennaMessage *message,
                 const char     *subscription,
                 gpointer        user_data)
{
  Prefix *prefix = user_data;
  g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, prefix->next);
  const char *payload = g_bytes_get_data (antenna_message_get_payload (message), NULL);

  if (g_strcmp0 (payload, expected) != 0)
    prefix->in_order = FALSE;
  prefix->next++;
  return prefix->in_order;
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSubprocess) child = spawn_child ("kill", f->path);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  Prefix prefix = { 0, TRUE };
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  /* In the middle of the flood, with no chance to close anything. */
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  n = antenna_capture_reader_count (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 20000);
  /* A prefix of what was sent: 0, 1, 2, … with no gap. */
  g_assert_true (antenna_capture_reader_foreach (reader, NULL, check_prefix_cb, &prefix, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (prefix.in_order);
  g_assert_cmpuint (prefix.next, ==, n);
}

static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) child = spawn_child ("full", f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(AntennaCaptureReader) reader = NULL;
  Prefix prefix = { 0, TRUE };
  gint64 n;

  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (child));
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 4);
  g_test_message ("full disk: %s", lines[3]);
  g_assert_cmpstr (lines[0], ==, g_quark_to_string (G_IO_ERROR));
  /* The message names the file and says why. */
  g_assert_nonnull (strstr (lines[3], "test" ANTENNA_CAPTURE_SUFFIX));
  g_assert_true (strstr (lines[3], "File too large") != NULL ||
                 strstr (lines[3], "No space left") != NULL);

  /* What was committed before is all there, and opens. */
  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  n = antenna_capture_reader_count (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, >=, g_ascii_strtoll (lines[2], NULL, 10));
  g_assert_true (antenna_capture_reader_foreach (reader, NULL, check_prefix_cb, &prefix, NULL, &error));
  g_assert_true (prefix.in_order);
}

static void
test_cannot_create (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *below = g_build_filename (file, "x" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *after = NULL;

  /* A folder that is a file. */
  g_assert_true (g_file_set_contents (file, "not a folder", -1, NULL));
  capture = antenna_capture_new (below, 0, &error);
  g_assert_null (capture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "x" ANTENNA_CAPTURE_SUFFIX));
  g_clear_error (&error);

  /* A file that exists is never replaced. */
  sum = checksum_file (file);
  capture = antenna_capture_new (file, 0, &error);
  g_assert_null (capture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  after = checksum_file (file);
  g_assert_cmpstr (sum, ==, after);
}

/* ---- files that are not ours ---- */

static void
assert_refused (const char *path,
                int         code,
                const char *says)
{
  g_autofree char *before = checksum_file (path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (path, &error);

  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, says));
  after = checksum_file (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_not_ours (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *random = g_build_filename (f->dir, "random.bin", NULL);
  g_autofree char *foreign = g_build_filename (f->dir, "other.sqlite", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autoptr(GBytes) noise = antenna_test_random_bytes (64 * 1024);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_true (g_file_set_contents (text, "hello, this is not a capture\n", -1, NULL));
  assert_refused (text, G_IO_ERROR_INVALID_DATA, "is not a capture of Antenna");
  g_assert_true (g_file_set_contents (random, g_bytes_get_data (noise, NULL), 64 * 1024, NULL));
  assert_refused (random, G_IO_ERROR_INVALID_DATA, "not a SQLite database");

  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE messages (x); INSERT INTO messages VALUES (1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (foreign, G_IO_ERROR_INVALID_DATA, "another application");

  /* Ours, from a later version. */
  {
    g_autoptr(AntennaCapture) capture = antenna_capture_new (newer, 0, &error);

    g_assert_no_error (error);
    stop_ok (capture);
  }
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE capture_info SET value = '99' WHERE key = 'schema-version'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (newer, G_IO_ERROR_NOT_SUPPORTED, "newer version of Antenna");

  {
    g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (missing, &error);

    g_assert_null (reader);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize length;

  g_assert_no_error (error);
  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GBytes) payload = antenna_test_random_bytes (200);
      g_autoptr(AntennaMessage) m = antenna_message_new ("damaged/topic", payload, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_RECEIVED, i, NULL);

      antenna_capture_append (capture, m);
    }
  stop_ok (capture);

  /* Noise over the pages after the first: the header is fine, the rest not. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 64 * 1024);
  for (gsize i = 8192; i < length; i += 3)
    contents[i] = (char) (i * 7 + 13);
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));
  before = checksum_file (f->path);

  {
    g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (f->path, &error);

    if (reader != NULL)
      {
        AntennaCaptureCursor cursor;
        g_autoptr(GPtrArray) page = NULL;

        /* Opened (the first page is whole): reading it all says it is
         * damaged (the count alone may not have to read that far). */
        antenna_capture_cursor_init (&cursor);
        page = antenna_capture_reader_read_page (reader, NULL, &cursor, 5000, &error);
        g_assert_null (page);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        g_test_message ("%s", error->message);
      }
    else
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
  after = checksum_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* Another connection holds the file locked for a moment (as a second
 * reader's start or a checkpoint does): the reader waits for it. */
typedef struct
{
  sqlite3 *db;
  GMutex   mutex;
  GCond    cond;
  gboolean locked;
} Locker;

static gpointer
locker_thread (gpointer data)
{
  Locker *locker = data;

  g_assert_cmpint (sqlite3_exec (locker->db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_mutex_lock (&locker->mutex);
  locker->locked = TRUE;
  g_cond_signal (&locker->cond);
  g_mutex_unlock (&locker->mutex);

  g_usleep (300 * 1000);
  g_assert_cmpint (sqlite3_exec (locker->db, "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (locker->db);
  return NULL;
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  Locker locker = { NULL, };
  GThread *thread;

  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(AntennaMessage) m = antenna_message_new ("locked/topic", NULL, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_RECEIVED, i, NULL);

      antenna_capture_append (capture, m);
    }
  stop_ok (capture);

  g_mutex_init (&locker.mutex);
  g_cond_init (&locker.cond);
  g_assert_cmpint (sqlite3_open (f->path, &locker.db), ==, SQLITE_OK);
  thread = g_thread_new ("locker", locker_thread, &locker);
  g_mutex_lock (&locker.mutex);
  while (!locker.locked)
    g_cond_wait (&locker.cond, &locker.mutex);
  g_mutex_unlock (&locker.mutex);

  /* Locked now, for 300 ms: opened and counted once it is free. */
  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (antenna_capture_reader_count (reader, NULL, &error), ==, 10);
  g_assert_no_error (error);

  g_thread_join (thread);
  g_mutex_clear (&locker.mutex);
  g_cond_clear (&locker.cond);
}

/* Large payloads: a page ends at ANTENNA_CAPTURE_PAGE_BYTES, whatever its
 * count allows, and the next one goes on from there. */
static void
test_page_bytes (Fixture       *f,
                 gconstpointer  data)
{
  const gsize size = ANTENNA_CAPTURE_PAGE_BYTES * 7 / 16;  /* 7 MiB: 3 reach the bound */
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, 0, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  AntennaCaptureCursor cursor;
  const guint expected[] = { 3, 2, 0 };
  guint next = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *bytes = g_malloc (size);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(AntennaMessage) m = NULL;

      memset (bytes, 'a' + i, size);
      payload = g_bytes_new_take (g_steal_pointer (&bytes), size);
      m = antenna_message_new ("large/topic", payload, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, i, NULL);
      antenna_capture_append (capture, m);
    }
  stop_ok (capture);

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  antenna_capture_cursor_init (&cursor);
  for (guint p = 0; p < G_N_ELEMENTS (expected); p++)
    {
      g_autoptr(GPtrArray) page = antenna_capture_reader_read_page (reader, NULL, &cursor, 2000, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, expected[p]);
      for (guint i = 0; i < page->len; i++, next++)
        {
          GBytes *payload = antenna_message_get_payload (page->pdata[i]);

          g_assert_cmpuint (g_bytes_get_size (payload), ==, size);
          g_assert_cmpint (((const char *) g_bytes_get_data (payload, NULL))[size - 1], ==, 'a' + next);
        }
    }
  g_assert_cmpuint (next, ==, 5);
}

/* ---- the size cap ---- */

static void
test_size_cap (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint64 cap = 1024 * 1024;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (f->path, cap, &error);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint n = 5000;   /* 1 KiB each: 5 MiB */

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      char *text = g_malloc0 (1024);
      g_autoptr(AntennaMessage) m = NULL;

      g_snprintf (text, 1024, "%u", i);
      m = antenna_message_new ("cap/t", g_bytes_new_take (text, 1024), 0, FALSE, FALSE,
                               ANTENNA_MESSAGE_RECEIVED, i, NULL);
      antenna_capture_append (capture, m);
      if (i % 500 == 0)
        antenna_test_iterate_for (20);   /* several transactions */
    }
  stop_ok (capture);

  reader = antenna_capture_reader_open (f->path, &error);
  g_assert_no_error (error);
  all = read_all (reader, NULL, 1000);
  /* The newest kept, the oldest gone, in order with no gap, within the cap. */
  g_assert_cmpuint (all->len, <, n);
  g_assert_cmpuint (all->len * 1024, <=, cap);
  g_assert_cmpuint (all->len * 1024, >=, cap / 2);
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u", n - all->len + i);

      g_assert_cmpstr (g_bytes_get_data (antenna_message_get_payload (g_ptr_array_index (all, i)), NULL),
                       ==, expected);
    }
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (f->path, &st), ==, 0);
    g_test_message ("capped file: %" G_GINT64_FORMAT " bytes for %u messages", (gint64) st.st_size, all->len);
    g_assert_cmpint (st.st_size, <, 2 * cap);
  }
}

static void
test_make_path (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (f->dir, "captures", NULL);
  g_autofree char *a = antenna_capture_make_path (sub, "../my/broker");
  g_autofree char *base = g_path_get_basename (a);
  g_autofree char *parent = g_path_get_dirname (a);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = NULL;
  g_autofree char *b = NULL;

  g_assert_cmpstr (parent, ==, sub);
  g_assert_true (g_str_has_prefix (base, "_._my_broker "));
  g_assert_true (g_str_has_suffix (base, ANTENNA_CAPTURE_SUFFIX));
  capture = antenna_capture_new (a, 0, &error);
  g_assert_no_error (error);
  b = antenna_capture_make_path (sub, "../my/broker");
  g_assert_cmpstr (a, !=, b);
  stop_ok (capture);
}

/* The exporter fed a list of messages (the live log's Export Messages…):
 * the CSV it writes, a cancelled export, and an export into a file that
 * exists, cancelled, leaving it as it was. */
static void
test_export_messages (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_build_filename (f->dir, "old.csv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "out.csv", NULL);
  g_autofree char *contents = NULL;
  static const char binary[] = { 0x00, (char) 0xff };
  const char *expected =
    "time,topic,qos,retain,direction,encoding,payload\r\n"
    "1970-01-01T00:00:01.000002Z,\"a/b\",1,0,received,text,\"say \"\"hi\"\", then\r\nbye\"\r\n"
    "2026-12-06T00:00:00.000000Z,\"a/c\",2,1,sent,base64,AP8=\r\n";

  g_autoptr(GBytes) text = g_bytes_new_static ("say \"hi\", then\r\nbye", 19);
  g_autoptr(GBytes) bytes = g_bytes_new_static (binary, sizeof binary);

  g_ptr_array_add (messages, antenna_message_new ("a/b", text, 1, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, 1000002, NULL));
  g_ptr_array_add (messages, antenna_message_new ("a/c", bytes, 2, TRUE, FALSE, ANTENNA_MESSAGE_SENT,
                                                  G_GINT64_CONSTANT (1796515200000000), NULL));

  g_assert_true (antenna_capture_export_messages (messages, ANTENNA_CAPTURE_FORMAT_CSV, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                   expected, strlen (expected));

  g_cancellable_cancel (cancelled);
  {
    g_autoptr(GOutputStream) other = g_memory_output_stream_new_resizable ();

    g_assert_false (antenna_capture_export_messages (messages, ANTENNA_CAPTURE_FORMAT_JSON_LINES, other,
                                                     NULL, NULL, cancelled, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  /* Off the main thread: cancelled, the file that was there stays. */
  g_assert_true (g_file_set_contents (target, "keep me\n", -1, NULL));
  {
    g_autoptr(GFile) file = g_file_new_for_path (target);
    g_autoptr(GAsyncResult) result = NULL;

    antenna_capture_export_messages_async (messages, ANTENNA_CAPTURE_FORMAT_CSV, file, NULL, NULL, cancelled,
                                           antenna_test_store_result, &result);
    antenna_test_wait_result (&result, WAIT_MS);
    g_assert_false (antenna_capture_export_finish (result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  contents = antenna_test_read_file (target);
  g_assert_cmpstr (contents, ==, "keep me\n");

  /* A folder that is not there: an error that says so. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (missing);
    g_autoptr(GAsyncResult) result = NULL;

    antenna_capture_export_messages_async (messages, ANTENNA_CAPTURE_FORMAT_JSON_LINES, file, NULL, NULL, NULL,
                                           antenna_test_store_result, &result);
    antenna_test_wait_result (&result, WAIT_MS);
    g_assert_false (antenna_capture_export_finish (result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv (CHILD_ENV) != NULL && argc == 2)
    return child_main (g_getenv (CHILD_ENV), argv[1]);

  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/antenna/capture/roundtrip", test_roundtrip);
  ADD ("/antenna/capture/empty", test_empty);
  ADD ("/antenna/capture/subscription", test_subscription);
  ADD ("/antenna/capture/broker-session", test_broker_session);
  ADD ("/antenna/capture/killed", test_killed);
  ADD ("/antenna/capture/full-disk", test_full_disk);
  ADD ("/antenna/capture/cannot-create", test_cannot_create);
  ADD ("/antenna/capture/not-ours", test_not_ours);
  ADD ("/antenna/capture/damaged", test_damaged);
  ADD ("/antenna/capture/locked", test_locked);
  ADD ("/antenna/capture/page-bytes", test_page_bytes);
  ADD ("/antenna/capture/size-cap", test_size_cap);
  ADD ("/antenna/capture/make-path", test_make_path);
  ADD ("/antenna/capture/export-messages", test_export_messages);
#undef ADD

  return antenna_test_run ();
}
