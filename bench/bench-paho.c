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

static BenchSubscriberOptions opt;

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
  if (opt.persistent && !opt.setup)
    {
      /* Drain: the session already holds the subscription. */
      set_step (STEP_READY, NULL);
      return;
    }
  opts.onSuccess = on_subscribe_success;
  opts.onFailure = on_failure;
  rc = MQTTAsync_subscribe (client, opt.filter, opt.qos, &opts);
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
  if (opt.persistent && !opt.setup)
    {
      set_step (STEP_READY, NULL);
      return;
    }
  opts.onSuccess5 = on_subscribe_success5;
  opts.onFailure5 = on_failure5;
  rc = MQTTAsync_subscribe (client, opt.filter, opt.qos, &opts);
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

  if (opt.version == 5)
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

  if (!bench_subscriber_options_parse (&opt, "bench-paho", "- count MQTT messages in Paho's callback", &argc, &argv))
    return 2;

  bench_counter_init (&counter, opt.count, opt.size);
  uri = g_strdup_printf ("tcp://%s:%d", opt.host, opt.port);
  client_id = opt.client_id ? g_strdup (opt.client_id) : g_strdup_printf ("bench-paho-%d", (int) getpid ());

  create_opts.MQTTVersion = opt.version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
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
  if (opt.trace_error)
    MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR);

  counter.start_us = g_get_real_time ();
  if (opt.version == 5)
    {
      conn_opts5.cleanstart = !opt.persistent;
      conn_opts5.keepAliveInterval = 60;
      conn_opts5.onSuccess5 = on_connect_success5;
      conn_opts5.onFailure5 = on_failure5;
      if (opt.persistent)
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
      conn_opts.cleansession = !opt.persistent;
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

  if (opt.setup)
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
      else if (now - idle_since > (gint64) opt.idle_timeout * G_USEC_PER_SEC)
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
