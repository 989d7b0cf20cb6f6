/* bench-antenna.c: an AntennaClient subscriber counting in ::messages-received
 *
 * What the application sees: messages reach the GLib main loop through
 * AntennaClient's bridge and are counted there, batch by batch. Same
 * options and output as bench-paho, which is the floor this adds to.
 *
 * Live:  bench-antenna -q 1 -n 200000          subscribe, print READY, count
 * Drain: bench-antenna --setup -c -i ID        persistent session + subscription, then leave
 *        bench-antenna -c -i ID -n 200000      come back (no SUBSCRIBE) and count the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-antenna"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <MQTTAsync.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"

#include "bench-common.h"

static BenchSubscriberOptions opt;

typedef struct
{
  GMainLoop     *loop;
  AntennaClient *client;
  BenchCounter   counter;
  GError        *error;
  gint64         seen;
  gint64         idle_since;
  guint          idle_id;
  guint          batches;
  guint          max_batch;
} Bench;

static void
fail (Bench  *bench,
      GError *error)
{
  if (bench->error == NULL)
    bench->error = error;
  else
    g_error_free (error);
  g_main_loop_quit (bench->loop);
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Bench         *bench)
{
  bench->batches++;
  bench->max_batch = MAX (bench->max_batch, messages->len);

  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      GBytes *payload = antenna_message_get_payload (message);
      gsize len = 0;
      const void *data = payload ? g_bytes_get_data (payload, &len) : NULL;

      if (bench_counter_add (&bench->counter, data, len))
        g_main_loop_quit (bench->loop);
    }
}

static void
on_connection_lost_cb (AntennaClient *client,
                       GError        *error,
                       Bench         *bench)
{
  fail (bench, g_error_copy (error));
}

static gboolean
check_idle_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->counter.received != bench->seen)
    {
      bench->seen = bench->counter.received;
      bench->idle_since = now;
    }
  else if (now - bench->idle_since > (gint64) opt.idle_timeout * G_USEC_PER_SEC)
    {
      g_main_loop_quit (bench->loop);
      bench->idle_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ready (Bench *bench)
{
  bench->counter.ready_us = g_get_real_time ();
  printf ("READY\n");
  fflush (stdout);
  if (opt.setup)
    {
      g_main_loop_quit (bench->loop);
      return;
    }
  bench->idle_since = g_get_monotonic_time ();
  bench->idle_id = g_timeout_add (200, check_idle_cb, bench);
}

static void
on_subscribed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Bench *bench = user_data;
  GError *error = NULL;

  antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error);
  if (error != NULL)
    {
      fail (bench, error);
      return;
    }
  ready (bench);
}

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(AntennaSubscription) subscription = NULL;
  GError *error = NULL;

  if (!antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error))
    {
      fail (bench, error);
      return;
    }
  bench->counter.connected_us = g_get_real_time ();

  if (opt.persistent && !opt.setup)
    {
      /* Drain: the session already holds the subscription. */
      ready (bench);
      return;
    }
  subscription = antenna_subscription_new (opt.filter, opt.qos);
  antenna_client_subscribe_async (bench->client, subscription, NULL, on_subscribed_cb, bench);
}

static void
on_disconnected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, &error))
    fprintf (stderr, "bench-antenna: disconnect: %s\n", error->message);
  g_main_loop_quit (bench->loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *client_id = NULL;
  Bench bench = { 0 };
  gboolean complete;

  if (!bench_subscriber_options_parse (&opt, "bench-antenna", "- count MQTT messages in AntennaClient::messages-received", &argc, &argv))
    return 2;

  client_id = opt.client_id ? g_strdup (opt.client_id) : g_strdup_printf ("bench-antenna-%d", (int) getpid ());

  profile = antenna_profile_new ();
  antenna_profile_set_name (profile, "bench");
  antenna_profile_set_host (profile, opt.host);
  antenna_profile_set_port (profile, opt.port);
  antenna_profile_set_mqtt_version (profile, opt.version == 5 ? ANTENNA_MQTT_VERSION_5 : ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_client_id (profile, client_id);
  antenna_profile_set_clean_start (profile, !opt.persistent);
  if (opt.persistent)
    antenna_profile_set_session_expiry (profile, 3600);
  antenna_profile_set_auto_reconnect (profile, FALSE);

  /* Paho's trace level is process-wide: set here, it applies to the client's
   * handle too (see bench-paho.c). */
  if (opt.trace_error)
    MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR);

  bench_counter_init (&bench.counter, opt.count, opt.size);
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.client = antenna_client_new (profile);
  g_signal_connect (bench.client, "messages-received", G_CALLBACK (on_messages_received_cb), &bench);
  g_signal_connect (bench.client, "connection-lost", G_CALLBACK (on_connection_lost_cb), &bench);

  bench.counter.start_us = g_get_real_time ();
  antenna_client_connect_async (bench.client, NULL, NULL, on_connected_cb, &bench);
  g_main_loop_run (bench.loop);
  g_clear_handle_id (&bench.idle_id, g_source_remove);

  if (bench.error != NULL && bench.counter.ready_us == 0)
    {
      fprintf (stderr, "bench-antenna: could not connect and subscribe to %s:%d: %s\n",
               opt.host, opt.port, bench.error->message);
      return 2;
    }

  complete = bench_counter_done (&bench.counter);
  if (!opt.setup)
    {
      bench_counter_print (&bench.counter, "antenna", stdout);
      printf ("BATCHES count=%u max=%u\n", bench.batches, bench.max_batch);
      bench_print_threads (stdout);
    }
  if (bench.error != NULL)
    fprintf (stderr, "bench-antenna: %s\n", bench.error->message);

  /* Leave cleanly, so a persistent session stays as it is. */
  if (antenna_client_get_state (bench.client) == ANTENNA_CLIENT_STATE_CONNECTED)
    {
      antenna_client_disconnect_async (bench.client, NULL, on_disconnected_cb, &bench);
      g_main_loop_run (bench.loop);
    }

  g_clear_object (&bench.client);
  g_main_loop_unref (bench.loop);
  bench_counter_clear (&bench.counter);
  g_clear_error (&bench.error);

  return opt.setup || complete ? 0 : 1;
}
