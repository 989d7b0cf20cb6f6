/* test-load-test.c: the load generator against a real mosquitto, read back with mosquitto_sub
 *
 * Rates and latencies are measured in bench/, not asserted here: this checks
 * that every message is sent, acknowledged, counted and comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-load-test.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 120000

static AntennaClient *
connected_client (AntennaTestBroker *broker,
                  AntennaProfile    *profile)
{
  AntennaClient *client = antenna_client_new (profile);

  antenna_test_connect_ok (client, NULL);
  return client;
}

static gboolean
run (AntennaLoadTest  *load,
     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_load_test_run_async (load, NULL, antenna_test_store_result, &result);
  return antenna_load_test_run_finish (load, antenna_test_wait_result (&result, WAIT_MS), error);
}

static void
on_progress_cb (AntennaLoadTest *load,
                guint           *n)
{
  (*n)++;
}

/* N messages over K topics from two connections: all acknowledged, all at
 * the broker (mosquitto_sub), all back on the first connection's
 * subscription with a latency each. */
static void
test_count (gconstpointer data)
{
  int qos = GPOINTER_TO_INT (data);
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "load/#", qos, FALSE);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 5000, .topics = 10, .prefix = (char *) "load/", .payload_size = 100,
    .qos = qos, .measure_latency = TRUE,
  };
  AntennaLoadTestResult result;
  guint progress = 0;

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  g_ptr_array_add (clients, connected_client (broker, profile));
  g_ptr_array_add (clients, connected_client (broker, profile));

  load = antenna_load_test_new (clients, &options);
  g_signal_connect (load, "progress", G_CALLBACK (on_progress_cb), &progress);
  g_assert_true (run (load, &error));
  g_assert_no_error (error);

  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.handed, ==, 5000);
  g_assert_cmpuint (result.completed, ==, 5000);
  g_assert_cmpuint (result.failed, ==, 0);
  if (qos > 0)
    {
      g_assert_cmpuint (result.received, ==, 5000);
      g_assert_cmpint (result.latency_p50, >=, 0);
      g_assert_cmpint (result.latency_p50, <=, result.latency_p90);
      g_assert_cmpint (result.latency_p90, <=, result.latency_p99);
      g_assert_cmpint (result.latency_p99, <=, result.latency_max);
    }
  g_assert_cmpfloat (result.rate, >, 0);
  g_assert_cmpuint (progress, >, 0);
  /* the chart shows the rate even when the test was shorter than one
   * interval (its last, shorter one is counted) */
  {
    GArray *rates = antenna_load_test_get_rates (load);
    double highest = 0;

    for (guint i = 0; i < rates->len; i++)
      highest = MAX (highest, g_array_index (rates, double, i));
    g_assert_cmpfloat (highest, >, 0);
  }

  summary = antenna_load_test_dup_summary (load);
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "5000 messages of 100 bytes"));
  g_assert_nonnull (strstr (summary, "acknowledged 5000, failed 0"));

  /* at the broker: every one, 100 bytes, its sequence number inside */
  if (qos > 0)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autofree gint64 *seqs = g_new (gint64, 5000);

      g_assert_cmpuint (antenna_test_sub_wait (sub, 5000, WAIT_MS), ==, 5000);
      for (guint i = 0; i < 5000; i++)
        {
          GBytes *payload = antenna_test_sub_get_payload (sub, i);
          g_autofree char *topic = NULL;

          g_assert_cmpuint (g_bytes_get_size (payload), ==, 100);
          memcpy (&seqs[i], g_bytes_get_data (payload, NULL), 8);
          g_assert_cmpint (seqs[i], <, 5000);
          g_assert_true (g_hash_table_add (seen, &seqs[i]));
          topic = g_strdup_printf ("load/%" G_GINT64_FORMAT, seqs[i] % 10);
          g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);
        }
    }

  g_clear_object (&load);
  for (guint i = 0; i < clients->len; i++)
    antenna_test_disconnect_ok (g_ptr_array_index (clients, i));
}

/* By duration, at a rate: it stops by itself, every message completed. */
static void
test_duration (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = {
    .duration_s = 1, .rate = 300, .topics = 3, .prefix = (char *) "dur/", .payload_size = 10, .qos = 1,
  };
  AntennaLoadTestResult result;

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  g_ptr_array_add (clients, connected_client (broker, profile));

  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.handed, >, 0);
  g_assert_cmpuint (result.completed, ==, result.handed);
  /* no echo asked for */
  g_assert_cmpuint (result.received, ==, 0);
  g_assert_cmpint (result.latency_p50, ==, -1);

  g_clear_object (&load);
  antenna_test_disconnect_ok (g_ptr_array_index (clients, 0));
}

/* Over WebSockets, on one connection: every message acknowledged and at
 * the broker. aedes writes the PUBACKs of a flood several to a WebSocket
 * frame, and Paho read only the first of a frame until the broker sent
 * more: 2 to 500 of these waited for their PUBACK until the connection was
 * ended (antenna-paho-websocket.c). */
static void
test_websocket (gconstpointer data)
{
  gboolean tls = GPOINTER_TO_INT (data);
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_WEBSOCKET |
                                                                 (tls ? ANTENNA_TEST_BROKER_TLS : 0));
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "ws/#", 1, FALSE);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *seqs = g_new (gint64, 500);
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = {
    .count = 500, .topics = 2, .prefix = (char *) "ws/", .payload_size = 20, .qos = 1,
  };
  AntennaLoadTestResult result;

  antenna_profile_set_host (profile, "127.0.0.1");
  if (tls)
    {
      antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
      antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
      antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
    }
  else
    {
      antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WS);
      antenna_profile_set_port (profile, antenna_test_broker_get_ws_port (broker));
    }
  antenna_profile_set_ws_path (profile, antenna_test_broker_get_ws_path (broker));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  g_ptr_array_add (clients, connected_client (broker, profile));

  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.handed, ==, 500);
  g_assert_cmpuint (result.completed, ==, 500);
  g_assert_cmpuint (result.failed, ==, 0);

  g_assert_cmpuint (antenna_test_sub_wait (sub, 500, WAIT_MS), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      GBytes *payload = antenna_test_sub_get_payload (sub, i);

      g_assert_cmpuint (g_bytes_get_size (payload), ==, 20);
      memcpy (&seqs[i], g_bytes_get_data (payload, NULL), 8);
      g_assert_cmpint (seqs[i], >=, 0);
      g_assert_cmpint (seqs[i], <, 500);
      g_assert_true (g_hash_table_add (seen, &seqs[i]));
    }

  g_clear_object (&load);
  antenna_test_disconnect_ok (g_ptr_array_index (clients, 0));
}

static void
test_not_connected (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = { .count = 10, .qos = 0 };

  g_ptr_array_add (clients, antenna_client_new (profile));
  load = antenna_load_test_new (clients, &options);
  g_assert_false (run (load, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_data_func ("/antenna/load-test/count/qos0", GINT_TO_POINTER (0), test_count);
  g_test_add_data_func ("/antenna/load-test/count/qos1", GINT_TO_POINTER (1), test_count);
  g_test_add_data_func ("/antenna/load-test/count/qos2", GINT_TO_POINTER (2), test_count);
  g_test_add_func ("/antenna/load-test/duration", test_duration);
  g_test_add_data_func ("/antenna/load-test/websocket", GINT_TO_POINTER (FALSE), test_websocket);
  g_test_add_data_func ("/antenna/load-test/websocket-tls", GINT_TO_POINTER (TRUE), test_websocket);
  g_test_add_func ("/antenna/load-test/not-connected", test_not_connected);

  return g_test_run ();
}
