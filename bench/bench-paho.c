/* bench-paho.c: a Paho MQTTAsync subscriber counting in its own callback
 *
 * The floor under AntennaClient: the same library, with nothing between
 * Paho's receive thread and the count. The messageArrived callback checks the
 * sequence number in the payload, counts, frees the message on Paho's thread
 * and returns; the main thread only waits.
 *
 * Live:  bench-paho -q 1 -n 200000          subscribe, print READY, count
 * Drain: bench-paho --setup -c -i ID        persistent session + subscription, then leave
 *        bench-paho -c -i ID -n 200000      come back (no SUBSCRIBE) and count the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-paho"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <MQTTAsync.h>

#include "bench-common.h"

static char    *opt_host = NULL;
static int      opt_port = 1883;
static int      opt_qos = 0;
static gint64   opt_count = 200000;
static char    *opt_client_id = NULL;
static gboolean opt_persistent = FALSE;
static gboolean opt_setup = FALSE;
static int      opt_version = 4;
static char    *opt_filter = NULL;
static gint64   opt_size = -1;
static int      opt_idle_timeout = 10;
static gboolean opt_trace_error = FALSE;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "qos", 'q', 0, G_OPTION_ARG_INT, &opt_qos, "Subscription QoS (0)", "QOS" },
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages expected (200000)", "N" },
  { "id", 'i', 0, G_OPTION_ARG_STRING, &opt_client_id, "Client id", "ID" },
  { "persistent", 'c', 0, G_OPTION_ARG_NONE, &opt_persistent, "Persistent session (clean session off)", NULL },
  { "setup", 0, 0, G_OPTION_ARG_NONE, &opt_setup, "Connect, subscribe and disconnect", NULL },
  { "mqtt-version", 'V', 0, G_OPTION_ARG_INT, &opt_version, "4 (3.1.1) or 5 (4)", "V" },
  { "filter", 't', 0, G_OPTION_ARG_STRING, &opt_filter, "Topic filter (bench/t/#)", "FILTER" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Check that every payload has this size", "BYTES" },
  { "idle-timeout", 'T', 0, G_OPTION_ARG_INT, &opt_idle_timeout, "Give up after this many seconds without a message (10)", "S" },
  { "trace-error", 0, 0, G_OPTION_ARG_NONE, &opt_trace_error, "MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR): no in-memory trace of every call", NULL },
  { NULL }
};

typedef enum {
  STEP_CONNECTING,
  STEP_READY,
  STEP_DISCONNECTED,
  STEP_FAILED,
} Step;

static GMutex lock;
static GCond cond;
static Step step = STEP_CONNECTING;
static gboolean done = FALSE;
static char *failure = NULL;
static BenchCounter counter;
static MQTTAsync client;

static void
set_step (Step        new_step,
          const char *why)
{
  g_mutex_lock (&lock);
  step = new_step;
  if (why != NULL && failure == NULL)
    failure = g_strdup (why);
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static int
on_message_arrived (void            *context,
                    char            *topic_name,
                    int              topic_len,
                    MQTTAsync_message *message)
{
  gboolean last;

  /* Paho's receive thread is the only writer of the counter; the main
   * thread reads it under the lock once it has been told it is done. */
  last = bench_counter_add (&counter, message->payload, message->payloadlen);
  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);

  if (last)
    {
      g_mutex_lock (&lock);
      done = TRUE;
      g_cond_broadcast (&cond);
      g_mutex_unlock (&lock);
    }
  return 1;
}

static void
on_connection_lost (void *context,
                    char *cause)
{
  set_step (STEP_FAILED, cause ? cause : "connection lost");
}

static void
on_subscribe_success (void                *context,
                      MQTTAsync_successData *response)
{
  if (response && response->alt.qos == 0x80)
    set_step (STEP_FAILED, "subscription refused");
  else
    set_step (STEP_READY, NULL);
}

static void
on_subscribe_success5 (void                  *context,
                       MQTTAsync_successData5 *response)
{
  if (response && response->reasonCode >= 0x80)
    set_step (STEP_FAILED, "subscription refused");
  else
    set_step (STEP_READY, NULL);
}

static void
on_failure (void                *context,
            MQTTAsync_failureData *response)
{
  set_step (STEP_FAILED, response && response->message ? response->message : "operation failed");
}

static void
on_failure5 (void                  *context,
             MQTTAsync_failureData5 *response)
{
  set_step (STEP_FAILED, response && response->message ? response->message : "operation failed");
}

static void
on_connect_success (void                *context,
                    MQTTAsync_successData *response)
{
  MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
  int rc;

  counter.connected_us = g_get_real_time ();
  if (opt_persistent && !opt_setup)
    {
      /* Drain: the session already holds the subscription. */
      set_step (STEP_READY, NULL);
      return;
    }
  opts.onSuccess = on_subscribe_success;
  opts.onFailure = on_failure;
  rc = MQTTAsync_subscribe (client, opt_filter, opt_qos, &opts);
  if (rc != MQTTASYNC_SUCCESS)
    set_step (STEP_FAILED, "MQTTAsync_subscribe failed");
}

static void
on_connect_success5 (void                  *context,
                     MQTTAsync_successData5 *response)
{
  MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
  int rc;

  counter.connected_us = g_get_real_time ();
  if (opt_persistent && !opt_setup)
    {
      set_step (STEP_READY, NULL);
      return;
    }
  opts.onSuccess5 = on_subscribe_success5;
  opts.onFailure5 = on_failure5;
  rc = MQTTAsync_subscribe (client, opt_filter, opt_qos, &opts);
  if (rc != MQTTASYNC_SUCCESS)
    set_step (STEP_FAILED, "MQTTAsync_subscribe failed");
}

static void
on_disconnect_success (void                *context,
                       MQTTAsync_successData *response)
{
  set_step (STEP_DISCONNECTED, NULL);
}

static void
on_disconnect_success5 (void                  *context,
                        MQTTAsync_successData5 *response)
{
  set_step (STEP_DISCONNECTED, NULL);
}

static gboolean
wait_for_step (Step   wanted,
               gint64 timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gboolean ok;

  g_mutex_lock (&lock);
  while (step != wanted && step != STEP_FAILED)
    if (!g_cond_wait_until (&cond, &lock, deadline))
      break;
  ok = step == wanted;
  g_mutex_unlock (&lock);
  return ok;
}

static void
disconnect_and_wait (void)
{
  MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;

  if (opt_version == 5)
    {
      opts.onSuccess5 = on_disconnect_success5;
      opts.onFailure5 = on_failure5;
    }
  else
    {
      opts.onSuccess = on_disconnect_success;
      opts.onFailure = on_failure;
    }
  opts.timeout = 2000;
  if (MQTTAsync_disconnect (client, &opts) == MQTTASYNC_SUCCESS)
    wait_for_step (STEP_DISCONNECTED, 5);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *client_id = NULL;
  MQTTAsync_createOptions create_opts = MQTTAsync_createOptions_initializer;
  MQTTAsync_connectOptions conn_opts = MQTTAsync_connectOptions_initializer;
  MQTTAsync_connectOptions conn_opts5 = MQTTAsync_connectOptions_initializer5;
  MQTTProperties props = MQTTProperties_initializer;
  MQTTProperty expiry;
  gboolean complete;
  gint64 idle_since, seen;
  int rc;

  context = g_option_context_new ("- count MQTT messages in Paho's callback");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-paho: %s\n", error->message);
      return 2;
    }
  if (opt_version != 4 && opt_version != 5)
    {
      fprintf (stderr, "bench-paho: --mqtt-version is 4 or 5\n");
      return 2;
    }
  if (opt_filter == NULL)
    opt_filter = g_strdup ("bench/t/#");

  /* Paho applies http_proxy to plain TCP too. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

  bench_counter_init (&counter, opt_count, opt_size);
  uri = g_strdup_printf ("tcp://%s:%d", opt_host ? opt_host : "127.0.0.1", opt_port);
  client_id = opt_client_id ? g_strdup (opt_client_id) : g_strdup_printf ("bench-paho-%d", (int) getpid ());

  create_opts.MQTTVersion = opt_version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
  rc = MQTTAsync_createWithOptions (&client, uri, client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL, &create_opts);
  if (rc != MQTTASYNC_SUCCESS)
    {
      fprintf (stderr, "bench-paho: MQTTAsync_create failed (%d)\n", rc);
      return 2;
    }
  MQTTAsync_setCallbacks (client, NULL, on_connection_lost, on_message_arrived, NULL);
  /* Paho (unless built with PAHO_HIGH_PERFORMANCE, which Debian's is not)
   * records every function entry and protocol event in an in-memory trace
   * ring under a mutex; this level stops that. Off by default, so that the
   * floor is Paho as AntennaClient uses it. */
  if (opt_trace_error)
    MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR);

  counter.start_us = g_get_real_time ();
  if (opt_version == 5)
    {
      conn_opts5.cleanstart = !opt_persistent;
      conn_opts5.keepAliveInterval = 60;
      conn_opts5.onSuccess5 = on_connect_success5;
      conn_opts5.onFailure5 = on_failure5;
      if (opt_persistent)
        {
          expiry.identifier = MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL;
          expiry.value.integer4 = 3600;
          MQTTProperties_add (&props, &expiry);
          conn_opts5.connectProperties = &props;
        }
      rc = MQTTAsync_connect (client, &conn_opts5);
    }
  else
    {
      conn_opts.cleansession = !opt_persistent;
      conn_opts.keepAliveInterval = 60;
      conn_opts.onSuccess = on_connect_success;
      conn_opts.onFailure = on_failure;
      rc = MQTTAsync_connect (client, &conn_opts);
    }
  if (rc != MQTTASYNC_SUCCESS)
    {
      fprintf (stderr, "bench-paho: MQTTAsync_connect failed (%d)\n", rc);
      return 2;
    }

  if (!wait_for_step (STEP_READY, 30))
    {
      fprintf (stderr, "bench-paho: could not connect and subscribe to %s: %s\n", uri,
               failure ? failure : "timed out");
      return 2;
    }
  counter.ready_us = g_get_real_time ();
  printf ("READY\n");
  fflush (stdout);

  if (opt_setup)
    {
      disconnect_and_wait ();
      MQTTAsync_destroy (&client);
      MQTTProperties_free (&props);
      return 0;
    }

  /* Wait until every message arrived, or none came for a while. */
  g_mutex_lock (&lock);
  idle_since = g_get_monotonic_time ();
  seen = 0;
  while (!done && step != STEP_FAILED)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 received = __atomic_load_n (&counter.received, __ATOMIC_RELAXED);

      if (received != seen)
        {
          seen = received;
          idle_since = now;
        }
      else if (now - idle_since > (gint64) opt_idle_timeout * G_USEC_PER_SEC)
        break;
      g_cond_wait_until (&cond, &lock, now + 200 * 1000);
    }
  g_mutex_unlock (&lock);

  /* No callback runs once disconnected: the counter is then ours to read. */
  disconnect_and_wait ();
  complete = bench_counter_done (&counter);
  bench_counter_print (&counter, "paho", stdout);
  bench_print_threads (stdout);
  MQTTAsync_destroy (&client);
  MQTTProperties_free (&props);
  bench_counter_clear (&counter);

  return complete ? 0 : 1;
}
