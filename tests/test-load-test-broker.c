/* test-load-test-broker.c: the load generator's guarantees, whichever engine sends
 *
 * Acceptance tests for any way AntennaLoadTest sends (Paho through
 * AntennaClient, or a publisher of its own): only its public API
 * (antenna-load-test.h) is used, against a real mosquitto read back with
 * mosquitto_sub, and the small MQTT 5 server of antenna-test-server.h where
 * a receive maximum must be counted on the wire. Every message carries its
 * sequence number in its first 8 bytes (antenna-load-test.h; a guint64 that
 * publish_batch() writes in the machine's order, little-endian on the
 * machines Antenna builds for), so what reached the broker is checked
 * message by message: each once, on its topic, at its size. Rates and latencies are
 * measured in bench/, never asserted; the waits below only bound a hang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-load-test.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-server.h"
#include "antenna-test-utils.h"

/* A run or a read-back that takes longer has hung (a loaded machine takes
 * a few seconds for the biggest run here). */
#define WAIT_MS 60000
/* How long to go on reading after the expected messages arrived, to see
 * that no more come (a count, not a time assertion). */
#define SETTLE_MS 1000

typedef struct
{
  int                qos;
  AntennaMqttVersion version;
} Params;

static const Params qos0_v311 = { 0, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params qos0_v5 = { 0, ANTENNA_MQTT_VERSION_5 };
static const Params qos1_v311 = { 1, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params qos1_v5 = { 1, ANTENNA_MQTT_VERSION_5 };
static const Params qos2_v5 = { 2, ANTENNA_MQTT_VERSION_5 };

static AntennaProfile *
make_profile (guint              port,
              AntennaMqttVersion version,
              const char        *client_id)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, port);
  antenna_profile_set_mqtt_version (profile, version);
  antenna_profile_set_connect_timeout (profile, 20);
  if (client_id != NULL)
    antenna_profile_set_client_id (profile, client_id);
  return profile;
}

static AntennaClient *
connected_client (AntennaProfile *profile)
{
  AntennaClient *client = antenna_client_new (profile);

  antenna_test_connect_ok (client, NULL);
  return client;
}

/* Runs @load to its end (failing the test when it has not ended within
 * WAIT_MS: a hang) and returns what run_finish() returned. */
static gboolean
run (AntennaLoadTest  *load,
     GCancellable     *cancellable,
     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_load_test_run_async (load, cancellable, antenna_test_store_result, &result);
  return antenna_load_test_run_finish (load, antenna_test_wait_result (&result, WAIT_MS), error);
}

static void
disconnect_all (GPtrArray *clients)
{
  for (guint i = 0; i < clients->len; i++)
    antenna_test_disconnect_ok (g_ptr_array_index (clients, i));
}

/* What mosquitto_sub got: each message @payload_size bytes, its sequence
 * number below @limit, seen once, on <@prefix><seq % @topics>. Returns how
 * many it got. */
static guint
check_read_back (AntennaTestSub *sub,
                 const char     *prefix,
                 guint           topics,
                 gsize           payload_size,
                 guint64         limit)
{
  guint n = antenna_test_sub_get_n_messages (sub);
  g_autofree guint8 *seen = g_new0 (guint8, limit);

  for (guint i = 0; i < n; i++)
    {
      GBytes *payload = antenna_test_sub_get_payload (sub, i);
      g_autofree char *topic = NULL;
      guint64 seq;

      g_assert_cmpuint (g_bytes_get_size (payload), ==, payload_size);
      memcpy (&seq, g_bytes_get_data (payload, NULL), 8);
      seq = GUINT64_FROM_LE (seq);
      g_assert_cmpuint (seq, <, limit);
      if (seen[seq])
        g_error ("message %" G_GUINT64_FORMAT " reached the broker twice", seq);
      seen[seq] = 1;
      topic = g_strdup_printf ("%s%" G_GUINT64_FORMAT, prefix, seq % topics);
      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);
    }
  return n;
}

/* ---- 1. Read back: every message at the broker, once, intact ---- */

/* 5,000 messages of 100 bytes over 10 topics from one connection, no echo
 * asked for (the plain sending path): mosquitto_sub, subscribed before, gets
 * each exactly once, 100 bytes, on <prefix><seq % 10>, with the sequence
 * numbers 0…4999. Catches a sender that loses, repeats, truncates or pads
 * messages, puts them on the wrong topic, or numbers them wrong.
 *
 * At QoS 0 too, and all 5,000 must arrive there as well: nothing between
 * the sender and mosquitto_sub may drop a QoS 0 message here. The sender
 * and mosquitto_sub talk TCP on loopback, which pushes back rather than
 * drops, and mosquitto drops a QoS 0 message only when the subscriber's
 * queue is full, which the test broker sets at 1,000,000 messages
 * (max_queued_messages, no byte limit; antenna-test-broker.h), 200 times
 * this run. A slow mosquitto_sub (or this process, which reads its output
 * while it runs) only slows the broker down. So a missing QoS 0 message is
 * the sender's: "completed" (written) counted for a message never written. */
static void
test_read_back (gconstpointer data)
{
  const Params *params = data;
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "rb/#", 1, FALSE);
  g_autoptr(AntennaProfile) profile = make_profile (antenna_test_broker_get_port (broker), params->version, NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  AntennaLoadTestOptions options = {
    .count = 5000, .topics = 10, .prefix = (char *) "rb/", .payload_size = 100, .qos = params->qos,
  };
  AntennaLoadTestResult result;

  g_ptr_array_add (clients, connected_client (profile));
  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, NULL, &error));
  g_assert_no_error (error);

  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.handed, ==, 5000);
  g_assert_cmpuint (result.completed, ==, 5000);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_null (antenna_load_test_get_last_error (load));

  g_assert_cmpuint (antenna_test_sub_wait (sub, 5000, WAIT_MS), ==, 5000);
  /* and no more (a repeat): the extra ones would come behind */
  antenna_test_iterate_for (SETTLE_MS);
  g_assert_cmpuint (check_read_back (sub, "rb/", 10, 100, 5000), ==, 5000);

  /* the premise of the QoS 0 case: the broker dropped nothing */
  log = antenna_test_broker_get_log (broker);
  g_assert_null (strstr (log, "dropped"));

  g_clear_object (&load);
  disconnect_all (clients);
}

/* ---- 2. A receive maximum ---- */

/* mosquitto 2.0.11 (Debian 12) with max_inflight_messages 10 announces
 * Receive Maximum 10 in its CONNACK to MQTT 5 clients (send_connack.c). It
 * does not disconnect a client that goes over it with 0x93 (the MQTT 5
 * "Receive Maximum exceeded"; only its development branch does, since
 * 2024): at QoS 2 it holds the PUBREC of the messages beyond the maximum in
 * a queue of max_queued_messages, and once that is full it answers
 * PUBREC 0x97 "Quota exceeded" (handle_publish.c), which fails the publish.
 * With a queue of 1, a sender that keeps more than 10 QoS 2 messages
 * unacknowledged therefore gets failures. It acknowledges QoS 1 at once,
 * so it never limits QoS 1; the small server below counts that. Measured
 * with a raw MQTT 5 client: CONNACK with Receive Maximum 10, and of 11 QoS 2
 * PUBLISHes left without PUBREL, the 11th answered PUBREC 0x97. */
#define RECEIVE_MAXIMUM 10
#define RECEIVE_MAXIMUM_CONFIG "max_inflight_messages 10\nmax_queued_messages 1\n"

/* MQTT 5 against that mosquitto, 3,000 messages at QoS 1 and at QoS 2 on
 * one connection: all completed, none failed, no error. Catches a sender
 * that ignores the server's Receive Maximum (QoS 2: refused with 0x97), or
 * that stalls or miscounts its window under a small one (a hang, or
 * messages left uncounted). */
static void
test_receive_maximum_mosquitto (gconstpointer data)
{
  const Params *params = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN,
                                                                               RECEIVE_MAXIMUM_CONFIG, &error);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  AntennaLoadTestOptions options = {
    .count = 3000, .topics = 3, .prefix = (char *) "rm/", .payload_size = 32, .qos = params->qos,
  };
  AntennaLoadTestResult result;

  g_assert_no_error (error);
  profile = make_profile (antenna_test_broker_get_port (broker), ANTENNA_MQTT_VERSION_5, NULL);
  g_ptr_array_add (clients, connected_client (profile));

  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, NULL, &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpstr (antenna_load_test_get_last_error (load), ==, NULL);
  g_assert_cmpuint (result.handed, ==, 3000);
  g_assert_cmpuint (result.completed, ==, 3000);
  g_assert_cmpuint (result.failed, ==, 0);

  g_clear_object (&load);
  disconnect_all (clients);
}

/* The same against the small MQTT 5 server, which announces Receive
 * Maximum 10 and counts on the wire the most QoS 1 and 2 PUBLISHes it had
 * unacknowledged at once (it acknowledges one a millisecond, so that a
 * sender that ignores the maximum runs ahead): never more than 10, at QoS 1
 * as at QoS 2, and every message arrived once. Catches what mosquitto lets
 * through: a sender over the maximum at QoS 1. */
static void
test_receive_maximum_counted (gconstpointer data)
{
  const Params *params = data;
  g_autoptr(AntennaTestServer) server = antenna_test_server_new_v5 (RECEIVE_MAXIMUM, 0, 1);
  g_autoptr(AntennaProfile) profile = make_profile (antenna_test_server_get_port (server), ANTENNA_MQTT_VERSION_5, NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = {
    .count = 600, .topics = 3, .prefix = (char *) "rm/", .payload_size = 32, .qos = params->qos,
  };
  AntennaLoadTestResult result;

  g_ptr_array_add (clients, connected_client (profile));
  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, NULL, &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpstr (antenna_load_test_get_last_error (load), ==, NULL);
  g_assert_cmpuint (result.completed, ==, 600);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_cmpuint (antenna_test_server_get_n_publishes (server), ==, 600);
  g_assert_cmpuint (antenna_test_server_get_max_in_flight (server), <=, RECEIVE_MAXIMUM);
  /* the maximum was reached: the sender kept the window full, and the
   * count above could have shown it exceeded */
  g_assert_cmpuint (antenna_test_server_get_max_in_flight (server), >, 1);

  g_clear_object (&load);
  disconnect_all (clients);
}

/* ---- 3. Latency at QoS 2 ---- */

/* With :measure-latency at QoS 2 over two connections, every message (the
 * second connection's too) comes back on the first connection's
 * subscription: received == N exactly, and the percentiles are set and
 * ordered. Catches a sender whose subscription is missing (received 0),
 * echoes counted twice (received > N), or timestamps that are not the time
 * of handing (samples dropped as "not ours", percentiles -1). A
 * subscription made late (sending before its SUBACK) is caught only when
 * the second connection's first messages overtake the SUBSCRIBE, which
 * they seldom do on loopback. */
static void
test_latency_qos2 (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = make_profile (antenna_test_broker_get_port (broker), ANTENNA_MQTT_VERSION_5, NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = {
    .count = 2000, .topics = 4, .prefix = (char *) "lat/", .payload_size = 64, .qos = 2,
    .measure_latency = TRUE,
  };
  AntennaLoadTestResult result;

  g_ptr_array_add (clients, connected_client (profile));
  g_ptr_array_add (clients, connected_client (profile));
  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, NULL, &error));
  g_assert_no_error (error);

  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.completed, ==, 2000);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_cmpuint (result.received, ==, 2000);
  g_assert_cmpint (result.latency_p50, >=, 0);
  g_assert_cmpint (result.latency_p50, <=, result.latency_p90);
  g_assert_cmpint (result.latency_p90, <=, result.latency_p99);
  g_assert_cmpint (result.latency_p99, <=, result.latency_max);

  g_clear_object (&load);
  disconnect_all (clients);
}

/* ---- 4. Stop ---- */

typedef struct
{
  AntennaLoadTest   *load;
  GCancellable      *cancellable;    /* Stop */
  AntennaTestBroker *broker;         /* SIGKILLed instead, when set */
  guint64            after;          /* completed messages */
  gboolean           done;
  guint64            completed_then;
} Interrupt;

/* ::progress (about four times a second): once @after messages completed,
 * stop the run (or kill its broker). */
static void
on_progress_interrupt_cb (AntennaLoadTest *load,
                          Interrupt       *interrupt)
{
  AntennaLoadTestResult result;

  antenna_load_test_get_result (load, &result);
  if (interrupt->done || result.completed < interrupt->after)
    return;

  interrupt->done = TRUE;
  interrupt->completed_then = result.completed;
  if (interrupt->broker != NULL)
    antenna_test_broker_signal (interrupt->broker, SIGKILL);
  else
    g_cancellable_cancel (interrupt->cancellable);
}

/* Flat out at QoS 1 towards far more messages than it will send, stopped
 * (the run's GCancellable, as the window's Stop) once ~1,000 completed. The
 * run ends with TRUE or G_IO_ERROR_CANCELLED (the window treats both as a
 * stop). Every message handed is accounted for (handed = completed +
 * failed), and none counts as failed: a Stop is not a failure. The
 * connection stays up (it is the page's). mosquitto_sub gets exactly the
 * completed ones (acknowledged by the broker, so all of them arrive, each
 * once) and no more, still none after a further wait. Catches a sender
 * that goes on sending after the run said it finished (messages beyond
 * "completed"), that counts messages it dropped or never wrote as
 * completed, or that ends the connection to stop. */
static void
test_stop (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "stop/#", 1, FALSE);
  g_autoptr(AntennaProfile) profile = make_profile (antenna_test_broker_get_port (broker), ANTENNA_MQTT_VERSION_5, NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTestOptions options = {
    .count = 10000000, .topics = 5, .prefix = (char *) "stop/", .payload_size = 16, .qos = 1,
  };
  AntennaLoadTestResult result;
  Interrupt interrupt = { .cancellable = cancellable, .after = 1000 };
  guint n;

  g_ptr_array_add (clients, connected_client (profile));
  load = antenna_load_test_new (clients, &options);
  g_signal_connect (load, "progress", G_CALLBACK (on_progress_interrupt_cb), &interrupt);
  if (!run (load, cancellable, &error))
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (interrupt.done);

  antenna_load_test_get_result (load, &result);
  g_test_message ("stopped at %" G_GUINT64_FORMAT " completed; at the end handed %" G_GUINT64_FORMAT
                  ", completed %" G_GUINT64_FORMAT, interrupt.completed_then, result.handed, result.completed);
  g_assert_cmpuint (result.completed, >=, interrupt.completed_then);
  g_assert_cmpuint (result.handed, <, options.count);
  g_assert_cmpuint (result.handed, ==, result.completed + result.failed);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_null (antenna_load_test_get_last_error (load));
  g_assert_cmpint (antenna_client_get_state (g_ptr_array_index (clients, 0)), ==, ANTENNA_CLIENT_STATE_CONNECTED);

  /* the completed ones, then nothing more: one wait for what the broker
   * still forwards, one more after it */
  g_assert_cmpuint (antenna_test_sub_wait (sub, result.completed, WAIT_MS), ==, result.completed);
  antenna_test_iterate_for (SETTLE_MS);
  n = antenna_test_sub_get_n_messages (sub);
  antenna_test_iterate_for (SETTLE_MS);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, n);
  g_assert_cmpuint (n, ==, result.completed);
  g_assert_cmpuint (check_read_back (sub, "stop/", 5, 16, result.handed), ==, result.completed);

  /* the run's end also ended its sending: nothing more at the broker once
   * the connection is closed either */
  g_clear_object (&load);
  disconnect_all (clients);
  antenna_test_iterate_for (SETTLE_MS);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, n);
}

/* ---- 5. Broker lost ---- */

/* Flat out at QoS 1 towards far more messages than it will send; the
 * broker is killed (SIGKILL) once ~1,000 completed. The run must end (a
 * hang fails after WAIT_MS) with failures counted and the reason kept:
 * failed > 0, a last error, and every message handed is accounted for
 * (handed = completed + failed: AntennaClient's batches count what was
 * never sent as failed, and the run ends only when no batch is left).
 * The run itself returns TRUE today (the failures are in the counts), or
 * may return an error; not a cancellation. With the profile's automatic
 * reconnection on and off: the connection a person's page has reconnects,
 * and its publishes must still fail rather than wait for a broker that is
 * gone. Catches a sender that waits forever for acknowledgements or room
 * that will not come, or loses count of the messages it had in flight. */
static void
test_broker_lost (gconstpointer data)
{
  gboolean reconnect = GPOINTER_TO_INT (data);
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = make_profile (antenna_test_broker_get_port (broker), ANTENNA_MQTT_VERSION_5, NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 1000000, .topics = 5, .prefix = (char *) "lost/", .payload_size = 16, .qos = 1,
  };
  AntennaLoadTestResult result;
  Interrupt interrupt = { .broker = broker, .after = 1000 };

  antenna_profile_set_auto_reconnect (profile, reconnect);
  g_ptr_array_add (clients, connected_client (profile));
  load = antenna_load_test_new (clients, &options);
  g_signal_connect (load, "progress", G_CALLBACK (on_progress_interrupt_cb), &interrupt);
  if (!run (load, NULL, &error))
    {
      g_assert_nonnull (error);
      g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    }
  g_assert_true (interrupt.done);

  antenna_load_test_get_result (load, &result);
  summary = antenna_load_test_dup_summary (load);
  g_test_message ("%s", summary);
  g_assert_cmpuint (result.completed, >=, interrupt.completed_then);
  g_assert_cmpuint (result.failed, >, 0);
  g_assert_cmpuint (result.handed, ==, result.completed + result.failed);
  g_assert_nonnull (antenna_load_test_get_last_error (load));
  g_assert_nonnull (strstr (summary, antenna_load_test_get_last_error (load)));

  g_clear_object (&load);
  g_ptr_array_set_size (clients, 0);
  g_assert_true (antenna_client_wait_for_destroyed (WAIT_MS));
}

/* ---- 6. Several connections ---- */

/* Three connections of one profile with their own client ids (as the
 * window's extra connections), 6,000 messages at QoS 1: all completed, and
 * mosquitto_sub gets 6,000 distinct sequence numbers, each once, intact. No
 * connection took another's place at the broker (mosquitto logs "already
 * connected" when a client id connects twice). Catches a sender that uses
 * only some of the connections' counts, repeats or skips sequence numbers
 * across connections, or opens its own connections with a shared client
 * id (each would throw the other out). */
static void
test_connections (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "multi/#", 1, FALSE);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  AntennaLoadTestOptions options = {
    .count = 6000, .topics = 7, .prefix = (char *) "multi/", .payload_size = 40, .qos = 1,
  };
  AntennaLoadTestResult result;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("antenna-load-%u", i);
      g_autoptr(AntennaProfile) profile = make_profile (antenna_test_broker_get_port (broker),
                                                        ANTENNA_MQTT_VERSION_5, id);

      antenna_profile_set_auto_reconnect (profile, FALSE);
      g_ptr_array_add (clients, connected_client (profile));
    }

  load = antenna_load_test_new (clients, &options);
  g_assert_true (run (load, NULL, &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.handed, ==, 6000);
  g_assert_cmpuint (result.completed, ==, 6000);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_null (antenna_load_test_get_last_error (load));

  g_assert_cmpuint (antenna_test_sub_wait (sub, 6000, WAIT_MS), ==, 6000);
  antenna_test_iterate_for (SETTLE_MS);
  g_assert_cmpuint (check_read_back (sub, "multi/", 7, 40, 6000), ==, 6000);

  for (guint i = 0; i < clients->len; i++)
    g_assert_cmpint (antenna_client_get_state (g_ptr_array_index (clients, i)), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  log = antenna_test_broker_get_log (broker);
  g_assert_null (strstr (log, "already connected"));

  g_clear_object (&load);
  disconnect_all (clients);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_data_func ("/antenna/load-test-broker/read-back/qos1/v311", &qos1_v311, test_read_back);
  g_test_add_data_func ("/antenna/load-test-broker/read-back/qos1/v5", &qos1_v5, test_read_back);
  g_test_add_data_func ("/antenna/load-test-broker/read-back/qos0/v311", &qos0_v311, test_read_back);
  g_test_add_data_func ("/antenna/load-test-broker/read-back/qos0/v5", &qos0_v5, test_read_back);
  g_test_add_data_func ("/antenna/load-test-broker/receive-maximum/mosquitto/qos1", &qos1_v5,
                        test_receive_maximum_mosquitto);
  g_test_add_data_func ("/antenna/load-test-broker/receive-maximum/mosquitto/qos2", &qos2_v5,
                        test_receive_maximum_mosquitto);
  g_test_add_data_func ("/antenna/load-test-broker/receive-maximum/counted/qos1", &qos1_v5,
                        test_receive_maximum_counted);
  g_test_add_data_func ("/antenna/load-test-broker/receive-maximum/counted/qos2", &qos2_v5,
                        test_receive_maximum_counted);
  g_test_add_func ("/antenna/load-test-broker/latency/qos2", test_latency_qos2);
  g_test_add_func ("/antenna/load-test-broker/stop", test_stop);
  g_test_add_data_func ("/antenna/load-test-broker/broker-lost/reconnect", GINT_TO_POINTER (TRUE),
                        test_broker_lost);
  g_test_add_data_func ("/antenna/load-test-broker/broker-lost/no-reconnect", GINT_TO_POINTER (FALSE),
                        test_broker_lost);
  g_test_add_func ("/antenna/load-test-broker/connections", test_connections);

  return antenna_test_run ();
}
