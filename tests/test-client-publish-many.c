/* test-client-publish-many.c: AntennaClient's batches of publishes (antenna_client_publish_many_async())
 *
 * A batch keeps the order of its messages and of the publishes around it,
 * counts what completed, keeps a broker's receive maximum, stops without
 * ending the connection when cancelled, and fails with its counts when the
 * connection goes. Against a real mosquitto (read back with mosquitto_sub),
 * and the small MQTT 5 server of antenna-test-server.h for a receive maximum
 * and slow acknowledgements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-server.h"
#include "antenna-test-utils.h"

#define WAIT_MS 30000

typedef struct
{
  AntennaTestBroker *broker;    /* NULL with a server */
  AntennaTestServer *server;
  AntennaProfile    *profile;
  AntennaClient     *client;
  guint              n_lost;
} Fixture;

/* One batch's arrays: topics "<prefix><i % 7>", payloads "<first + i>". */
typedef struct
{
  guint    n;
  char   **topics;
  GBytes **payloads;
} Batch;

static void
on_connection_lost (AntennaClient *client,
                    const GError  *error,
                    Fixture       *f)
{
  g_test_message ("connection lost: %s", error->message);
  f->n_lost++;
}

static void
fixture_init (Fixture *f,
              guint    port)
{
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, port);
  antenna_profile_set_keepalive (f->profile, 60);
  antenna_profile_set_connect_timeout (f->profile, 20);
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  f->client = antenna_client_new (f->profile);
  g_signal_connect (f->client, "connection-lost", G_CALLBACK (on_connection_lost), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->broker = antenna_test_broker_start (ANTENNA_TEST_BROKER_PLAIN, &error);
  g_assert_no_error (error);
  fixture_init (f, antenna_test_broker_get_port (f->broker));
}

/* The small MQTT 5 server: receive maximum 2, a PUBACK every 20 ms. */
static void
fixture_set_up_server (Fixture       *f,
                       gconstpointer  data)
{
  f->server = antenna_test_server_new_v5 (2, 0, 20);
  fixture_init (f, antenna_test_server_get_port (f->server));
  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->client, f);
  if (f->broker != NULL)
    antenna_test_broker_signal (f->broker, SIGCONT);
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (WAIT_MS));
  g_clear_object (&f->profile);
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  g_clear_pointer (&f->server, antenna_test_server_free);
}

static Batch *
batch_new (const char *prefix,
           guint       first,
           guint       n)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->n = n;
  batch->topics = g_new0 (char *, n + 1);
  batch->payloads = g_new0 (GBytes *, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", first + i);

      batch->topics[i] = g_strdup_printf ("%s%u", prefix, i % 7);
      batch->payloads[i] = g_bytes_new (text, strlen (text));
    }
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->topics);
  for (guint i = 0; i < batch->n; i++)
    g_bytes_unref (batch->payloads[i]);
  g_free (batch->payloads);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static void
start_batch (Fixture       *f,
             Batch         *batch,
             int            qos,
             GCancellable  *cancellable,
             GAsyncResult **result)
{
  antenna_client_publish_many_async (f->client, batch->n, (const char * const *) batch->topics,
                                     batch->payloads, qos, FALSE, cancellable,
                                     antenna_test_store_result, result);
}

static gboolean
finish_batch (Fixture       *f,
              GAsyncResult **result,
              guint         *completed,
              guint         *failed,
              GError       **error)
{
  return antenna_client_publish_many_finish (f->client, antenna_test_wait_result (result, WAIT_MS),
                                             completed, failed, error);
}

static void
assert_payload (AntennaTestSub *sub,
                guint           i,
                const char     *text)
{
  GBytes *got = antenna_test_sub_get_payload (sub, i);

  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), text, strlen (text));
}

/* A single publish, a batch, a single one and another batch: mosquitto_sub
 * gets them all in that order, each batch completes with all its messages
 * counted. At the QoS of the test data, with MQTT 5 (then 3.1.1: @data's
 * sign). */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  int qos = ABS (GPOINTER_TO_INT (data)) - 1;
  gboolean v311 = GPOINTER_TO_INT (data) < 0;
  g_autoptr(Batch) first = batch_new ("many/t/", 1, 300);
  g_autoptr(Batch) second = batch_new ("many/u/", 302, 200);
  g_autoptr(GBytes) start = g_bytes_new_static ("0", 1);
  g_autoptr(GBytes) middle = g_bytes_new_static ("301", 3);
  g_autoptr(AntennaTestSub) sub = NULL;
  GAsyncResult *results[4] = { NULL, };
  g_autoptr(GError) error = NULL;
  guint completed = 0;
  guint failed = 0;
  guint total = 2 + first->n + second->n;

  if (v311)
    antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_test_connect_ok (f->client, NULL);
  sub = antenna_test_sub_start (f->broker, "many/#", qos, FALSE);

  antenna_client_publish_async (f->client, "many/s", start, qos, FALSE, NULL, NULL,
                                antenna_test_store_result, &results[0]);
  start_batch (f, first, qos, NULL, &results[1]);
  antenna_client_publish_async (f->client, "many/s", middle, qos, FALSE, NULL, NULL,
                                antenna_test_store_result, &results[2]);
  start_batch (f, second, qos, NULL, &results[3]);

  g_assert_true (antenna_client_publish_finish (f->client, antenna_test_wait_result (&results[0], WAIT_MS),
                                                &error));
  g_assert_no_error (error);
  g_assert_true (finish_batch (f, &results[1], &completed, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (completed, ==, first->n);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_true (antenna_client_publish_finish (f->client, antenna_test_wait_result (&results[2], WAIT_MS),
                                                &error));
  g_assert_no_error (error);
  g_assert_true (finish_batch (f, &results[3], &completed, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (completed, ==, second->n);
  g_assert_cmpuint (failed, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_clear_object (&results[i]);
  g_assert_cmpuint (antenna_client_get_n_queued (f->client), ==, 0);

  /* "0", "1"…"300" on many/t/…, "301", "302"…"501" on many/u/… */
  g_assert_cmpuint (antenna_test_sub_wait (sub, total, WAIT_MS), ==, total);
  for (guint i = 0; i < total; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      assert_payload (sub, i, text);
      if (i == 0 || i == first->n + 1)
        g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, "many/s");
      else if (i <= first->n)
        g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, first->topics[i - 1]);
      else
        g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, second->topics[i - first->n - 2]);
    }

  g_assert_cmpuint (f->n_lost, ==, 0);
  antenna_test_disconnect_ok (f->client);
}

/* The server says receive maximum 2: a batch of 40 at QoS 1, then at QoS 2,
 * completes with the server never having more than 2 in flight. */
static void
test_receive_maximum (Fixture       *f,
                      gconstpointer  data)
{
  antenna_test_connect_ok (f->client, NULL);

  for (int qos = 1; qos <= 2; qos++)
    {
      g_autoptr(Batch) batch = batch_new ("rm/", 0, 40);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      guint completed = 0;
      guint failed = 0;

      start_batch (f, batch, qos, NULL, &result);
      g_assert_true (finish_batch (f, &result, &completed, &failed, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (completed, ==, batch->n);
      g_assert_cmpuint (failed, ==, 0);
      g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, qos * batch->n);
      g_assert_cmpuint (antenna_test_server_get_max_in_flight (f->server), <=, 2);
    }

  g_assert_cmpuint (f->n_lost, ==, 0);
  antenna_test_disconnect_ok (f->client);
}

static gboolean
server_got_some (gpointer user_data)
{
  return antenna_test_server_get_n_publishes (user_data) >= 4;
}

/* Cancelled while the worker waits for room (receive maximum 2, slow
 * PUBACKs): it hands no more, what the server got is acknowledged, and the
 * batch fails as cancelled with those counted. The connection stays, and
 * publishes go on. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Batch) batch = batch_new ("cancel/", 0, 200);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) after = g_bytes_new_static ("after", 5);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint completed = 0;
  guint failed = 0;

  antenna_test_connect_ok (f->client, NULL);
  start_batch (f, batch, 1, cancellable, &result);
  g_assert_true (antenna_test_wait_until (server_got_some, f->server, WAIT_MS));
  g_cancellable_cancel (cancellable);

  g_assert_false (finish_batch (f, &result, &completed, &failed, &error));
  g_test_message ("%u completed, %u failed: %s", completed, failed, error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (completed, >=, 4);
  g_assert_cmpuint (completed, <, batch->n);
  g_assert_cmpuint (completed + failed, ==, batch->n);
  /* every message handed was acknowledged before the batch ended */
  g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, completed);
  g_clear_error (&error);

  g_assert_cmpuint (f->n_lost, ==, 0);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  g_assert_true (antenna_test_publish (f->client, "cancel/after", after, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, completed + 1);
  antenna_test_disconnect_ok (f->client);
}

/* Cancelled before the call: nothing is sent. */
static void
test_cancel_at_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Batch) batch = batch_new ("cancel/", 0, 10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint completed = 1;
  guint failed = 0;

  antenna_test_connect_ok (f->client, NULL);
  g_cancellable_cancel (cancellable);
  start_batch (f, batch, 1, cancellable, &result);
  g_assert_false (finish_batch (f, &result, &completed, &failed, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (completed, ==, 0);
  g_assert_cmpuint (failed, ==, batch->n);
  antenna_test_disconnect_ok (f->client);
  g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, 0);
}

static gboolean
broker_has_unread (gpointer user_data)
{
  return antenna_test_unread_at_port (antenna_test_broker_get_port (user_data)) > 0;
}

/* Disconnected in the middle of a batch the broker does not answer (it is
 * stopped): the batch fails with none completed, and the client is
 * disconnected. */
static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Batch) batch = batch_new ("gone/", 0, 2000);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint completed = 1;
  guint failed = 0;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_broker_signal (f->broker, SIGSTOP);
  start_batch (f, batch, 1, NULL, &result);
  g_assert_true (antenna_test_wait_until (broker_has_unread, f->broker, WAIT_MS));
  antenna_client_disconnect_async (f->client, NULL, NULL, NULL);

  g_assert_false (finish_batch (f, &result, &completed, &failed, &error));
  g_test_message ("%u completed, %u failed: %s", completed, failed, error->message);
  g_assert_nonnull (error);
  g_assert_cmpuint (completed, ==, 0);
  g_assert_cmpuint (failed, ==, batch->n);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
}

/* Not connected, or one message that cannot go: nothing is sent. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Batch) batch = batch_new ("refused/", 0, 5);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GBytes) after = g_bytes_new_static ("after", 5);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint completed = 1;
  guint failed = 0;

  start_batch (f, batch, 1, NULL, &result);
  g_assert_false (finish_batch (f, &result, &completed, &failed, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (completed, ==, 0);
  g_assert_cmpuint (failed, ==, batch->n);
  g_clear_error (&error);
  g_clear_object (&result);

  antenna_test_connect_ok (f->client, NULL);
  sub = antenna_test_sub_start (f->broker, "refused/#", 1, FALSE);
  g_free (batch->topics[3]);
  batch->topics[3] = g_strdup ("refused/+");
  start_batch (f, batch, 1, NULL, &result);
  g_assert_false (finish_batch (f, &result, &completed, &failed, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (completed, ==, 0);
  g_assert_cmpuint (failed, ==, batch->n);

  /* only what came after got through */
  g_assert_true (antenna_test_publish (f->client, "refused/after", after, 1, FALSE, NULL, NULL));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  assert_payload (sub, 0, "after");
  antenna_test_disconnect_ok (f->client);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, extra, setup, func) \
  g_test_add ("/antenna/client-publish-many/" path, Fixture, extra, setup, func, fixture_tear_down)

  /* data: QoS + 1, negative for MQTT 3.1.1 */
  ADD ("order/qos0", GINT_TO_POINTER (1), fixture_set_up, test_order);
  ADD ("order/qos1", GINT_TO_POINTER (2), fixture_set_up, test_order);
  ADD ("order/qos2", GINT_TO_POINTER (3), fixture_set_up, test_order);
  ADD ("order/qos1-mqtt311", GINT_TO_POINTER (-2), fixture_set_up, test_order);
  ADD ("receive-maximum", NULL, fixture_set_up_server, test_receive_maximum);
  ADD ("cancel/mid-batch", NULL, fixture_set_up_server, test_cancel);
  ADD ("cancel/at-once", NULL, fixture_set_up_server, test_cancel_at_once);
  ADD ("disconnect", NULL, fixture_set_up, test_disconnect);
  ADD ("refused", NULL, fixture_set_up, test_refused);

#undef ADD

  return antenna_test_run ();
}
