/* bench-paho-pub.c: a bare Paho MQTTAsync flood publisher, the ceiling of any Paho-based client
 *
 * What AntennaClient's publish path can reach at best with the Paho it runs
 * on: MQTTAsync_sendMessage() in a tight loop on one thread, with at most
 * --window messages not yet completed (written at QoS 0, PUBACKed at QoS 1),
 * counted in Paho's own onSuccess callback. No main loop, no queue, no event
 * between Paho and the count. The messages are those of bench-pub and
 * bench-loadgen: --count payloads of --size bytes (the sequence number in 10
 * ASCII digits, then 'x's) over --topics topics <prefix><i % topics>.
 * Run it with LD_LIBRARY_PATH pointing at another Paho build to measure that
 * one (bench/run-loadgen --paho-lib).
 *
 * Prints one line: pahopub qos=… count=… completed=… failed=… rate=… elapsed_us=…
 * (the rate from the first send to the last completion).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-paho-pub"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <MQTTAsync.h>

static char    *opt_host = NULL;
static int      opt_port = 1883;
static int      opt_qos = 0;
static gint64   opt_count = 200000;
static gint64   opt_size = 64;
static int      opt_topics = 1000;
static char    *opt_prefix = NULL;
static int      opt_window = 2000;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "qos", 'q', 0, G_OPTION_ARG_INT, &opt_qos, "QoS 0, 1 or 2 (0)", "QOS" },
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages to publish (200000)", "N" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Payload bytes, at least 10 (64)", "BYTES" },
  { "topics", 't', 0, G_OPTION_ARG_INT, &opt_topics, "Number of topics (1000)", "T" },
  { "prefix", 'P', 0, G_OPTION_ARG_STRING, &opt_prefix, "Topic prefix (bench/t/)", "PREFIX" },
  { "window", 'w', 0, G_OPTION_ARG_INT, &opt_window, "Most messages not yet completed (2000)", "N" },
  { NULL }
};

typedef struct
{
  GMutex  mutex;
  GCond   cond;
  gint64  outstanding;
  gint64  completed;
  gint64  failed;
  gint64  last_us;
  int     connect_rc;   /* -1 until the connect's answer */
} State;

static void
finish_one (State    *state,
            gboolean  ok)
{
  g_mutex_lock (&state->mutex);
  state->outstanding--;
  if (ok)
    state->completed++;
  else
    state->failed++;
  state->last_us = g_get_monotonic_time ();
  g_cond_signal (&state->cond);
  g_mutex_unlock (&state->mutex);
}

static void
on_sent (void                  *context,
         MQTTAsync_successData *response)
{
  finish_one (context, TRUE);
}

static void
on_send_failed (void                  *context,
                MQTTAsync_failureData *response)
{
  finish_one (context, FALSE);
}

static void
set_connect_rc (State *state,
                int    rc)
{
  g_mutex_lock (&state->mutex);
  state->connect_rc = rc;
  g_cond_signal (&state->cond);
  g_mutex_unlock (&state->mutex);
}

static void
on_connected (void                  *context,
              MQTTAsync_successData *response)
{
  set_connect_rc (context, MQTTASYNC_SUCCESS);
}

static void
on_connect_failed (void                  *context,
                   MQTTAsync_failureData *response)
{
  set_connect_rc (context, response->code != MQTTASYNC_SUCCESS ? response->code : MQTTASYNC_FAILURE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a bare Paho MQTTAsync flood publisher");
  g_autoptr(GError) error = NULL;
  MQTTAsync_createOptions create_opts = MQTTAsync_createOptions_initializer;
  MQTTAsync_connectOptions conn_opts = MQTTAsync_connectOptions_initializer;
  g_autofree char *uri = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *payload = NULL;
  g_auto(GStrv) topics = NULL;
  State state = { .connect_rc = -1 };
  MQTTAsync client;
  gint64 start_us;
  int rc;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-paho-pub: %s\n", error->message);
      return 2;
    }
  if (opt_qos < 0 || opt_qos > 2 || opt_count < 1 || opt_size < 10 || opt_topics < 1 || opt_window < 1)
    {
      fprintf (stderr, "bench-paho-pub: qos 0–2, count ≥ 1, size ≥ 10, topics ≥ 1, window ≥ 1\n");
      return 2;
    }

  g_mutex_init (&state.mutex);
  g_cond_init (&state.cond);
  topics = g_new0 (char *, opt_topics + 1);
  for (int t = 0; t < opt_topics; t++)
    topics[t] = g_strdup_printf ("%s%d", opt_prefix ? opt_prefix : "bench/t/", t);
  payload = g_malloc (opt_size);
  memset (payload, 'x', opt_size);

  uri = g_strdup_printf ("tcp://%s:%d", opt_host ? opt_host : "127.0.0.1", opt_port);
  client_id = g_strdup_printf ("bench-paho-pub-%d", (int) getpid ());
  /* as AntennaClient creates its handles: MQTT 3.1.1 here, like bench-pub */
  create_opts.MQTTVersion = MQTTVERSION_3_1_1;
  if ((rc = MQTTAsync_createWithOptions (&client, uri, client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL,
                                         &create_opts)) != MQTTASYNC_SUCCESS)
    {
      fprintf (stderr, "bench-paho-pub: MQTTAsync_create: %s\n", MQTTAsync_strerror (rc));
      return 1;
    }

  conn_opts.cleansession = 1;
  conn_opts.keepAliveInterval = 60;
  conn_opts.maxInflight = 65535;
  conn_opts.MQTTVersion = MQTTVERSION_3_1_1;
  conn_opts.onSuccess = on_connected;
  conn_opts.onFailure = on_connect_failed;
  conn_opts.context = &state;
  if ((rc = MQTTAsync_connect (client, &conn_opts)) != MQTTASYNC_SUCCESS)
    {
      fprintf (stderr, "bench-paho-pub: MQTTAsync_connect: %s\n", MQTTAsync_strerror (rc));
      return 1;
    }
  g_mutex_lock (&state.mutex);
  while (state.connect_rc == -1)
    g_cond_wait (&state.cond, &state.mutex);
  g_mutex_unlock (&state.mutex);
  if (state.connect_rc != MQTTASYNC_SUCCESS)
    {
      fprintf (stderr, "bench-paho-pub: connect failed: %s\n", MQTTAsync_strerror (state.connect_rc));
      return 1;
    }

  start_us = g_get_monotonic_time ();
  for (gint64 i = 0; i < opt_count; i++)
    {
      MQTTAsync_message msg = MQTTAsync_message_initializer;
      MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
      char digits[16];

      g_mutex_lock (&state.mutex);
      while (state.outstanding >= opt_window)
        g_cond_wait (&state.cond, &state.mutex);
      state.outstanding++;
      g_mutex_unlock (&state.mutex);

      /* Paho copies the payload: the same buffer serves every message */
      g_snprintf (digits, sizeof digits, "%010" G_GINT64_FORMAT, i % 10000000000);
      memcpy (payload, digits, 10);
      msg.payload = payload;
      msg.payloadlen = (int) opt_size;
      msg.qos = opt_qos;
      response.onSuccess = on_sent;
      response.onFailure = on_send_failed;
      response.context = &state;

      /* Paho has no room for it (its message ids or its buffer): again */
      while ((rc = MQTTAsync_sendMessage (client, topics[i % opt_topics], &msg, &response)) ==
             MQTTASYNC_MAX_MESSAGES_INFLIGHT || rc == MQTTASYNC_NO_MORE_MSGIDS ||
             rc == MQTTASYNC_MAX_BUFFERED_MESSAGES)
        g_usleep (100);
      if (rc != MQTTASYNC_SUCCESS)
        {
          fprintf (stderr, "bench-paho-pub: MQTTAsync_sendMessage: %s\n", MQTTAsync_strerror (rc));
          return 1;
        }
    }

  g_mutex_lock (&state.mutex);
  while (state.outstanding > 0)
    g_cond_wait (&state.cond, &state.mutex);
  g_mutex_unlock (&state.mutex);

  printf ("pahopub qos=%d count=%" G_GINT64_FORMAT " size=%" G_GINT64_FORMAT " completed=%" G_GINT64_FORMAT
          " failed=%" G_GINT64_FORMAT " rate=%.0f elapsed_us=%" G_GINT64_FORMAT "\n",
          opt_qos, opt_count, opt_size, state.completed, state.failed,
          state.completed / ((state.last_us - start_us) / (double) G_USEC_PER_SEC), state.last_us - start_us);
  fflush (stdout);

  {
    MQTTAsync_disconnectOptions disc_opts = MQTTAsync_disconnectOptions_initializer;

    disc_opts.timeout = 1000;
    MQTTAsync_disconnect (client, &disc_opts);
    for (int i = 0; i < 100 && MQTTAsync_isConnected (client); i++)
      g_usleep (10 * 1000);
  }
  MQTTAsync_destroy (&client);
  return state.completed == opt_count ? 0 : 1;
}
