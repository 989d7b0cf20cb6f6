/* bench-publish.c: AntennaClient as a publisher, and several clients in one process
 *
 * In one process, as the application holds them:
 *   - N clients (3 by default) connect one after another: the time of each
 *     connect, from the call to its completion (Debian's unmodified Paho
 *     took 2.1 s for every client after the first);
 *   - the first publishes one message of --size bytes at --qos: the time
 *     from the call to its completion (PUBACK for QoS 1), and meanwhile the
 *     main loop's longest iteration, from waking up to sleeping again, in
 *     wall time (what a person sees) and in the main thread's CPU time (what
 *     a busy machine does not inflate), as bench/run-gui measures the app;
 *   - with --during N, 50 ms into that publish, N messages of 64 bytes and a
 *     subscribe are asked for too (with TLS, Paho's send thread copies the
 *     large packet holding Paho's global mutex: a call into Paho from the
 *     main thread would wait for it);
 *   - with --small N, N messages of 64 bytes at --qos, all published at
 *     once: messages per second until the last completes.
 * With --tls the connections use TLS (the broker's certificate is not
 * checked). With --from-file the large payload is first written to a
 * temporary file and read back through the composer's loader
 * (antenna_payload_file_load_async), with the main loop's longest iteration
 * during the read.
 * The payload is made (and its pages touched) before anything is timed.
 * bench/run-publish runs it beside mosquitto_pub; see bench/README.md.
 *
 * Output, one line each (key=value):
 *   PAHO wakeup=on|off|patched interposed=0|1
 *   CONNECT i=1 s=0.012
 *   PUBLISH bytes=267386880 qos=1 s=1.234 max_iteration_ms=2.1 max_iteration_cpu_ms=1.9 iterations=1234
 *   SMALL n=10000 s=0.5 rate=20000
 *   LOAD bytes=267386880 s=0.4 max_iteration_ms=1.2 max_iteration_cpu_ms=1.0 iterations=80
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-publish"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "antenna-client.h"
#include "antenna-paho-wakeup-private.h"
#include "antenna-payload-file.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"

static char   *opt_host = NULL;
static int     opt_port = 1883;
static int     opt_clients = 3;
static gint64  opt_size = 0;
static int     opt_qos = 1;
static int     opt_small = 0;
static char   *opt_topic = NULL;
static int     opt_during = 0;
static gboolean opt_tls = FALSE;
static gboolean opt_from_file = FALSE;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "Clients to connect one after another (3)", "N" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Bytes of the large message (0: none)", "BYTES" },
  { "qos", 'q', 0, G_OPTION_ARG_INT, &opt_qos, "QoS (1)", "QOS" },
  { "small", 'n', 0, G_OPTION_ARG_INT, &opt_small, "Small messages to publish at once (0)", "N" },
  { "topic", 't', 0, G_OPTION_ARG_STRING, &opt_topic, "Topic (bench/publish)", "TOPIC" },
  { "during", 'd', 0, G_OPTION_ARG_INT, &opt_during, "Small messages (and a subscribe) asked for during the large one (0)", "N" },
  { "tls", 0, 0, G_OPTION_ARG_NONE, &opt_tls, "Connect with TLS, not checking the certificate", NULL },
  { "from-file", 0, 0, G_OPTION_ARG_NONE, &opt_from_file, "Read the large message from a file first, as the composer does", NULL },
  { NULL }
};

/* ---- The main loop's iterations ----------------------------------------- */

typedef struct
{
  gint64  poll_return_us;
  gint64  poll_return_cpu_us;
  gint64  max_us;
  gint64  max_cpu_us;
  guint64 n;
} Iterations;

static Iterations iterations;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The default context's poll function: from waking up to sleeping again is
 * one iteration's work. */
static int
iteration_poll (GPollFD *fds,
                guint    n_fds,
                int      timeout)
{
  int result;

  if (iterations.poll_return_us > 0)
    {
      iterations.max_us = MAX (iterations.max_us, g_get_monotonic_time () - iterations.poll_return_us);
      iterations.max_cpu_us = MAX (iterations.max_cpu_us, thread_cpu_us () - iterations.poll_return_cpu_us);
      iterations.n++;
    }

  result = g_poll (fds, n_fds, timeout);

  iterations.poll_return_us = g_get_monotonic_time ();
  iterations.poll_return_cpu_us = thread_cpu_us ();
  return result;
}

static void
iterations_reset (void)
{
  iterations.max_us = 0;
  iterations.max_cpu_us = 0;
  iterations.n = 0;
}

/* ---- Running to completion ---------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  guint      pending;
  gint64     done_us;
  GError    *error;
} Waiter;

static void
waiter_done (Waiter *waiter,
             GError *error)
{
  if (error != NULL && waiter->error == NULL)
    waiter->error = error;
  else
    g_clear_error (&error);
  if (--waiter->pending == 0)
    {
      waiter->done_us = g_get_monotonic_time ();
      g_main_loop_quit (waiter->loop);
    }
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;

  antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error);
  waiter_done (user_data, error);
}

static void
on_published (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;

  antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error);
  waiter_done (user_data, error);
}

static void
on_disconnected (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);
  waiter_done (user_data, NULL);
}

/* Runs the loop until @waiter's operations are done; fails the benchmark
 * on an error. */
static void
run (Waiter     *waiter,
     const char *what)
{
  g_main_loop_run (waiter->loop);
  if (waiter->error != NULL)
    {
      fprintf (stderr, "bench-publish: %s: %s\n", what, waiter->error->message);
      exit (1);
    }
}

typedef struct
{
  AntennaClient *client;
  GBytes        *payload;
  guint          count;
  guint          during;
  Waiter        *waiter;
  gint64         start_us;
} PublishJob;

static void
on_subscribed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError *error = NULL;

  antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error);
  waiter_done (user_data, error);
}

/* 50 ms into the large publish: more requests of the same connection. */
static gboolean
ask_more (gpointer user_data)
{
  PublishJob *job = user_data;
  g_autoptr(GBytes) small = g_bytes_new_static ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 64);
  g_autoptr(AntennaSubscription) subscription = antenna_subscription_new ("bench/during/#", 1);

  job->waiter->pending += job->during + 1;
  for (guint i = 0; i < job->during; i++)
    antenna_client_publish_async (job->client, "bench/during", small, opt_qos, FALSE, NULL,
                                  NULL, on_published, job->waiter);
  antenna_client_subscribe_async (job->client, subscription, NULL, on_subscribed, job->waiter);
  return G_SOURCE_REMOVE;
}

/* An idle callback: the publishes start inside a main-loop iteration, so
 * that the time the calls take counts as that iteration's work. */
static gboolean
start_publishes (gpointer user_data)
{
  PublishJob *job = user_data;

  iterations_reset ();
  job->start_us = g_get_monotonic_time ();
  job->waiter->pending = job->count;
  for (guint i = 0; i < job->count; i++)
    antenna_client_publish_async (job->client, opt_topic, job->payload, opt_qos, FALSE, NULL,
                                  NULL, on_published, job->waiter);
  if (job->during > 0)
    g_timeout_add (50, ask_more, job);
  return G_SOURCE_REMOVE;
}

static double
publish (AntennaClient *client,
         GBytes        *payload,
         guint          count,
         guint          during,
         GMainLoop     *loop)
{
  Waiter waiter = { loop, 0, 0, NULL };
  PublishJob job = { client, payload, count, during, &waiter, 0 };

  g_idle_add (start_publishes, &job);
  run (&waiter, "publish");
  return (waiter.done_us - job.start_us) / 1e6;
}

static GBytes *
make_payload (gsize size)
{
  guint8 *data = g_malloc (MAX (size, 1));

  /* every page touched: the first publish pays no page faults for it */
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) ('a' + i % 26);
  return g_bytes_new_take (data, size);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  void **out = user_data;   /* { Waiter *, GBytes **, GFile *, gint64 * } */
  GError *error = NULL;

  *(GBytes **) out[1] = antenna_payload_file_load_finish (G_FILE (object), result, &error);
  waiter_done (out[0], error);
}

static gboolean
start_load (gpointer user_data)
{
  void **out = user_data;

  iterations_reset ();
  *(gint64 *) out[3] = g_get_monotonic_time ();
  antenna_payload_file_load_async (out[2], NULL, NULL, NULL, on_loaded, out);
  return G_SOURCE_REMOVE;
}

/* @payload written to a file in a temporary folder, then read back with the
 * composer's loader while the main loop runs: returns what was read. */
static GBytes *
load_from_file (GBytes    *payload,
                GMainLoop *loop)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("antenna-bench-publish-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  Waiter waiter = { loop, 1, 0, NULL };
  GBytes *loaded = NULL;
  void *out[] = { &waiter, &loaded, NULL, NULL };
  gint64 start;

  if (dir == NULL || !g_file_set_contents (path = g_build_filename (dir, "payload", NULL),
                                           g_bytes_get_data (payload, NULL),
                                           (gssize) g_bytes_get_size (payload), &error))
    {
      fprintf (stderr, "bench-publish: writing the payload's file: %s\n", error->message);
      exit (1);
    }
  file = g_file_new_for_path (path);

  /* Writing the file was not the main loop's work: the next iteration
   * starts now, and the load starts inside it, as a click would. */
  iterations.poll_return_us = g_get_monotonic_time ();
  iterations.poll_return_cpu_us = thread_cpu_us ();
  out[2] = file;
  out[3] = &start;
  g_idle_add (start_load, out);
  run (&waiter, "load");
  printf ("LOAD bytes=%" G_GSIZE_FORMAT " s=%.6f max_iteration_ms=%.2f max_iteration_cpu_ms=%.2f iterations=%" G_GUINT64_FORMAT "\n",
          g_bytes_get_size (loaded), (waiter.done_us - start) / 1e6,
          iterations.max_us / 1e3, iterations.max_cpu_us / 1e3, iterations.n);
  fflush (stdout);

  g_unlink (path);
  g_rmdir (dir);
  return loaded;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— AntennaClient as a publisher");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) payload = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-publish: %s\n", error->message);
      return 2;
    }
  if (opt_topic == NULL)
    opt_topic = g_strdup ("bench/publish");

  /* The client's class_init decides whether Paho is woken (it is the one
   * that calls _antenna_paho_wakeup_init() in the application too). */
  g_type_ensure (ANTENNA_TYPE_CLIENT);
  printf ("PAHO wakeup=%s interposed=%d\n",
          _antenna_paho_wakeup_paho_is_patched () ? "patched" : _antenna_paho_wakeup_is_active () ? "on" : "off",
          _antenna_paho_wakeup_is_interposed ());

  if (opt_size > 0)
    payload = make_payload ((gsize) opt_size);

  g_main_context_set_poll_func (NULL, iteration_poll);

  for (int i = 0; i < MAX (opt_clients, 1); i++)
    {
      g_autoptr(AntennaProfile) profile = antenna_profile_new ();
      AntennaClient *client;
      Waiter waiter = { loop, 1, 0, NULL };
      gint64 start;

      antenna_profile_set_host (profile, opt_host ? opt_host : "127.0.0.1");
      antenna_profile_set_port (profile, (guint) opt_port);
      antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
      antenna_profile_set_keepalive (profile, 60);
      antenna_profile_set_connect_timeout (profile, 30);
      if (opt_tls)
        {
          antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
          antenna_profile_set_tls_allow_insecure (profile, TRUE);
        }
      client = antenna_client_new (profile);
      g_ptr_array_add (clients, client);

      start = g_get_monotonic_time ();
      antenna_client_connect_async (client, NULL, NULL, on_connected, &waiter);
      run (&waiter, "connect");
      printf ("CONNECT i=%d s=%.6f\n", i + 1, (waiter.done_us - start) / 1e6);
      fflush (stdout);
    }

  if (payload != NULL && opt_from_file)
    {
      GBytes *loaded = load_from_file (payload, loop);

      g_bytes_unref (payload);
      payload = loaded;
    }

  if (payload != NULL)
    {
      double seconds = publish (g_ptr_array_index (clients, 0), payload, 1, (guint) opt_during, loop);

      printf ("PUBLISH bytes=%" G_GINT64_FORMAT " qos=%d s=%.6f max_iteration_ms=%.2f max_iteration_cpu_ms=%.2f iterations=%" G_GUINT64_FORMAT "\n",
              opt_size, opt_qos, seconds, iterations.max_us / 1e3, iterations.max_cpu_us / 1e3, iterations.n);
      fflush (stdout);
    }

  if (opt_small > 0)
    {
      g_autoptr(GBytes) small = make_payload (64);
      double seconds = publish (g_ptr_array_index (clients, 0), small, (guint) opt_small, 0, loop);

      printf ("SMALL n=%d qos=%d s=%.6f rate=%.0f max_iteration_ms=%.2f max_iteration_cpu_ms=%.2f\n",
              opt_small, opt_qos, seconds, opt_small / seconds, iterations.max_us / 1e3, iterations.max_cpu_us / 1e3);
      fflush (stdout);
    }

  {
    Waiter waiter = { loop, clients->len, 0, NULL };

    for (guint i = 0; i < clients->len; i++)
      antenna_client_disconnect_async (g_ptr_array_index (clients, i), NULL, on_disconnected, &waiter);
    run (&waiter, "disconnect");
  }
  g_ptr_array_set_size (clients, 0);
  antenna_client_wait_for_destroyed (10000);

  return 0;
}
