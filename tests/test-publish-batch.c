/* test-publish-batch.c: messages from a JSON Lines file, against a real mosquitto read back with mosquitto_sub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-publish-batch.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 300000
#define MiB (1024 * 1024)

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
  char              *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("antenna-batch-XXXXXX", &error);
  g_assert_no_error (error);
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_5);
  f->client = antenna_client_new (f->profile);
  antenna_test_connect_ok (f->client, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_disconnect_ok (f->client);
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            GString    *text)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
run (AntennaPublishBatch  *batch,
     GCancellable         *cancellable,
     GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_publish_batch_run_async (batch, cancellable, antenna_test_store_result, &result);
  return antenna_publish_batch_run_finish (batch, antenna_test_wait_result (&result, WAIT_MS), error);
}

static GBytes *
random_bytes (gsize   size,
              guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i += 4)
    {
      guint32 r = g_rand_int (rand);

      memcpy (data + i, &r, MIN (4, size - i));
    }
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

typedef struct
{
  AntennaPublishBatch *batch;
  guint64              big_line;
  guint64              big_end;    /* the file's offset after it */
  guint                during;     /* ticks while it was being checked */
} Watch;

/* The main loop turns while the 64 MiB line is parsed (in the reader's
 * thread): the whole line has been read, and it is not checked yet. */
static gboolean
on_tick_cb (gpointer user_data)
{
  Watch *watch = user_data;

  if (antenna_publish_batch_get_validating (watch->batch) &&
      antenna_publish_batch_get_bytes_read (watch->batch) >= watch->big_end &&
      antenna_publish_batch_get_lines (watch->batch) == watch->big_line - 1)
    watch->during++;
  return G_SOURCE_CONTINUE;
}

/* 10,000 lines with a 64 MiB payload among them: every message arrives,
 * byte for byte, with its QoS and retain flag as the file says; the main
 * loop goes on while that line is checked. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "batch/#", 1, TRUE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) big = random_bytes (64 * MiB, 18);
  g_autoptr(GBytes) small = random_bytes (300, 19);
  g_autoptr(GFile) file = NULL;
  g_autoptr(AntennaPublishBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 10000;
  const guint big_line = 5000;
  gsize big_end = 0;
  guint big_file_line = 0;
  gsize file_size;
  Watch watch = { 0, };
  guint tick_id;

  for (guint i = 1; i <= n; i++)
    {
      if (i == big_line)
        {
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (big, NULL), g_bytes_get_size (big));

          /* its line in the file: blank lines count */
          big_file_line = antenna_test_count_in (text->str, "\n") + 1;
          g_string_append_printf (text, "{\"topic\": \"batch/%u\", \"payload_base64\": \"%s\", \"qos\": 1}\n", i, b64);
          big_end = text->len;
        }
      else if (i % 7 == 0)
        {
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (small, NULL), g_bytes_get_size (small));

          g_string_append_printf (text, "{\"topic\":\"batch/%u\",\"payload_base64\":\"%s\",\"qos\":%u}\n", i, b64, i % 2);
        }
      else
        g_string_append_printf (text, "{\"topic\": \"batch/%u\", \"payload\": \"msg \\\"%u\\\" ✓\", \"qos\": %u, "
                                "\"properties\": {\"content-type\": \"text/plain\"}}\n", i, i, i % 3 == 0 ? 0 : 1);
      /* a blank line now and then is no message, and no error */
      if (i % 1000 == 0)
        g_string_append (text, "\n");
    }
  file = write_file (f, "large.jsonl", text);
  file_size = text->len;
  g_string_free (g_steal_pointer (&text), TRUE);

  batch = antenna_publish_batch_new (f->client, file);
  watch.batch = batch;
  watch.big_line = big_file_line;
  watch.big_end = big_end;
  tick_id = g_timeout_add (1, on_tick_cb, &watch);
  g_assert_true (run (batch, NULL, &error));
  g_source_remove (tick_id);
  g_assert_no_error (error);
  g_test_message ("the main loop turned %u times while the 64 MiB line was checked", watch.during);
  g_assert_cmpuint (watch.during, >, 0);
  /* the send pass read the whole file too */
  g_assert_cmpuint (antenna_publish_batch_get_size (batch), ==, file_size);
  g_assert_cmpuint (antenna_publish_batch_get_bytes_read (batch), ==, file_size);
  g_assert_cmpuint (antenna_publish_batch_get_total (batch), ==, n);
  g_assert_cmpuint (antenna_publish_batch_get_sent (batch), ==, n);
  g_assert_cmpuint (antenna_publish_batch_get_failed (batch), ==, 0);
  g_assert_cmpuint (antenna_publish_batch_get_invalid_lines (batch)->len, ==, 0);

  g_assert_cmpuint (antenna_test_sub_wait (sub, n, WAIT_MS), ==, n);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < n; i++)
      {
        const char *topic = antenna_test_sub_get_topic (sub, i);
        guint k = (guint) g_ascii_strtoull (topic + strlen ("batch/"), NULL, 10);
        GBytes *payload = antenna_test_sub_get_payload (sub, i);

        g_assert_true (g_hash_table_add (seen, g_strdup (topic)));
        if (k == big_line)
          g_assert_true (g_bytes_equal (payload, big));
        else if (k % 7 == 0)
          g_assert_true (g_bytes_equal (payload, small));
        else
          {
            g_autofree char *want = g_strdup_printf ("msg \"%u\" ✓", k);

            g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), want, strlen (want));
            g_assert_cmpstr (antenna_test_sub_get_property (sub, i, "content-type"), ==, "text/plain");
          }
      }
    g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  }
}

/* Invalid lines are reported by number and nothing goes out; skipped when
 * the person says so. */
static void
test_invalid_lines (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "inv/#", 1, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(AntennaPublishBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GArray *invalid;
  guint64 want[] = { 2, 4, 5, 6, 7, 8, 9, 10 };

  g_string_append (text, "{\"topic\": \"inv/1\", \"payload\": \"one\"}\n");          /* 1 */
  g_string_append (text, "{\"topic\": \"inv/2\", \"payload\": \"two\"\n");            /* 2: not JSON */
  g_string_append (text, "{\"topic\": \"inv/3\", \"payload\": \"three\", \"qos\": 2}\n");
  g_string_append (text, "{\"topic\": \"inv/+\", \"payload\": \"x\"}\n");             /* 4: wildcard */
  g_string_append (text, "{\"payload\": \"no topic\"}\n");                             /* 5 */
  g_string_append (text, "{\"topic\": \"inv/6\", \"qos\": 3}\n");                      /* 6 */
  g_string_append (text, "{\"topic\": \"inv/7\", \"payload_base64\": \"AQ!D\"}\n");   /* 7 */
  g_string_append (text, "{\"topic\": \"inv/8\", \"payload\": \"a\", \"payload_base64\": \"AQID\"}\n");
  g_string_append (text, "[1, 2]\n");                                                  /* 9 */
  g_string_append (text, "{\"topic\": \"inv/10\", \"delay_ms\": -1}\n");              /* 10 */
  /* QoS 2 like line 3: MQTT keeps the order of one QoS, not across them
   * (a QoS 0 message overtook line 3's handshake on a busy machine) */
  g_string_append (text, "{\"topic\": \"inv/11\", \"payload\": \"eleven\", \"qos\": 2, \"delay_ms\": 50}");  /* no newline */
  file = write_file (f, "invalid.jsonl", text);

  batch = antenna_publish_batch_new (f->client, file);
  g_assert_false (run (batch, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2, 4, 5, 6, 7, 8, 9, 10"));
  g_assert_nonnull (strstr (error->message, "Nothing was sent"));
  invalid = antenna_publish_batch_get_invalid_lines (batch);
  g_assert_cmpuint (invalid->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < invalid->len; i++)
    {
      g_assert_cmpuint (g_array_index (invalid, guint64, i), ==, want[i]);
      g_assert_nonnull (antenna_publish_batch_get_invalid_reason (batch, i));
    }
  g_assert_nonnull (strstr (antenna_publish_batch_get_invalid_reason (batch, 2), "topic"));
  g_assert_nonnull (strstr (antenna_publish_batch_get_invalid_reason (batch, 3), "qos"));
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);
  g_clear_error (&error);

  /* skipped, the person said so: the three valid ones, in order */
  antenna_publish_batch_set_skip_invalid (batch, TRUE);
  g_assert_true (run (batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_publish_batch_get_sent (batch), ==, 3);
  g_assert_cmpuint (antenna_publish_batch_get_invalid_lines (batch)->len, ==, G_N_ELEMENTS (want));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "inv/1");
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 1), ==, "inv/3");
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 2), ==, "inv/11");
}

static gboolean
sent_some (gpointer user_data)
{
  return antenna_publish_batch_get_sent (user_data) >= 20;
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (antenna_publish_batch_run_finish (ANTENNA_PUBLISH_BATCH (object), result, error));
}

/* Cancelled mid-run (and paused before): no more is sent. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "cancel/#", 1, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(AntennaPublishBatch) batch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  guint64 sent;

  for (guint i = 1; i <= 2000; i++)
    g_string_append_printf (text, "{\"topic\": \"cancel/%u\", \"payload\": \"%u\", \"qos\": 1}\n", i, i);
  file = write_file (f, "cancel.jsonl", text);

  batch = antenna_publish_batch_new (f->client, file);
  antenna_publish_batch_set_rate (batch, 200);
  antenna_publish_batch_run_async (batch, cancellable, on_run_cb, &error);
  g_assert_true (antenna_test_wait_until (sent_some, batch, WAIT_MS));

  /* cancelled while paused */
  antenna_publish_batch_set_paused (batch, TRUE);
  antenna_test_iterate_for (100);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* what was with the client completes */
  antenna_test_iterate_for (500);
  sent = antenna_publish_batch_get_sent (batch);
  g_assert_cmpuint (sent, >=, 20);
  g_assert_cmpuint (sent, <, 2000);
  g_assert_cmpuint (antenna_test_sub_wait (sub, sent, WAIT_MS), ==, sent);
  antenna_test_iterate_for (500);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, sent);
}

static gboolean
is_checking_lines (gpointer user_data)
{
  return antenna_publish_batch_get_lines (user_data) >= 10;
}

/* Cancelled while its lines are checked (in the reader's thread): it ends
 * cancelled at once, nothing is sent, and the batch goes away once that
 * thread has stopped; a new run of the same file then sends everything, in
 * order, across the chunks read ahead. */
static void
test_cancel_check (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "check/#", 1, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) big = random_bytes (16 * MiB, 20);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (big, NULL), g_bytes_get_size (big));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AntennaPublishBatch *batch;
  g_autoptr(AntennaPublishBatch) again = NULL;
  GError *error = NULL;

  for (guint i = 1; i <= 40; i++)
    {
      if (i % 10 == 0)
        g_string_append_printf (text, "{\"topic\": \"check/%u\", \"payload_base64\": \"%s\"}\n", i, b64);
      else
        g_string_append_printf (text, "{\"topic\": \"check/%u\", \"payload\": \"%u\"}\n", i, i);
    }
  file = write_file (f, "check.jsonl", text);

  batch = antenna_publish_batch_new (f->client, file);
  antenna_publish_batch_run_async (batch, cancellable, on_run_cb, &error);
  g_assert_true (antenna_test_wait_until (is_checking_lines, batch, WAIT_MS));
  g_assert_true (antenna_publish_batch_get_validating (batch));
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (antenna_publish_batch_get_sent (batch), ==, 0);
  /* once the reader's thread has seen the cancellation */
  antenna_test_wait_finalized (batch, WAIT_MS);

  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);

  again = antenna_publish_batch_new (f->client, file);
  g_assert_true (run (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_publish_batch_get_sent (again), ==, 40);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 40, WAIT_MS), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *topic = g_strdup_printf ("check/%u", i + 1);

      /* in the file's order, across chunks */
      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);
      if ((i + 1) % 10 == 0)
        g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, i), big));
    }
}

/* antenna-cli pub --batch: the same file, the invalid lines listed by
 * number on standard error, exit status 2 and nothing sent; with
 * --skip-invalid the valid ones. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "cli/#", 1, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  g_autofree char *err = NULL;
  g_autofree char *err_skip = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  for (guint i = 1; i <= 100; i++)
    {
      if (i == 40 || i == 77)
        g_string_append_printf (text, "{\"topic\": \"cli/%u\", \"qos\": \"one\"}\n", i);
      else
        g_string_append_printf (text, "{\"topic\": \"cli/%u\", \"payload\": \"%u\", \"qos\": 1}\n", i, i);
    }
  file = write_file (f, "cli.jsonl", text);

  {
    const char *argv[] = { g_getenv ("ANTENNA_CLI"), "pub", "-h", "127.0.0.1", "-p", port,
                           "--batch", g_file_peek_path (file), NULL };
    const char *argv_skip[] = { g_getenv ("ANTENNA_CLI"), "pub", "-h", "127.0.0.1", "-p", port,
                                "--batch", g_file_peek_path (file), "--skip-invalid", "--rate", "1000", NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err, &status, &error));
    g_assert_no_error (error);
    g_test_message ("%s", err);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "line 40: “qos” must be 0, 1 or 2."));
    g_assert_nonnull (strstr (err, "line 77: “qos” must be 0, 1 or 2."));
    antenna_test_iterate_for (300);
    g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);

    g_assert_true (g_spawn_sync (NULL, (char **) argv_skip, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err_skip, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_nonnull (strstr (err_skip, "line 40:"));
  }

  g_assert_cmpuint (antenna_test_sub_wait (sub, 98, WAIT_MS), ==, 98);
  for (guint i = 0, k = 1; i < 98; i++, k++)
    {
      g_autofree char *want = NULL;

      if (k == 40 || k == 77)
        k++;
      want = g_strdup_printf ("%u", k);
      g_assert_cmpmem (g_bytes_get_data (antenna_test_sub_get_payload (sub, i), NULL),
                       g_bytes_get_size (antenna_test_sub_get_payload (sub, i)), want, strlen (want));
    }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/batch/invalid-lines", Fixture, NULL, fixture_setup, test_invalid_lines, fixture_teardown);
  g_test_add ("/antenna/batch/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/antenna/batch/cancel-check", Fixture, NULL, fixture_setup, test_cancel_check, fixture_teardown);
  g_test_add ("/antenna/batch/cli", Fixture, NULL, fixture_setup, test_cli, fixture_teardown);
  g_test_add ("/antenna/batch/large", Fixture, NULL, fixture_setup, test_large, fixture_teardown);

  return g_test_run ();
}
