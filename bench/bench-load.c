/* bench-load.c: ten connections under a sustained load, in one process
 *
 * N AntennaClients (10 by default) in one process, as the app holds them:
 * each subscribed at QoS 1 to its own subtree, each feeding an
 * AntennaTopicTree and an AntennaMessageLog at their default limits from
 * messages-received, both flushed every 16 ms as the UI's frame clock does.
 * Once all are subscribed, N bench-pub processes publish to them at QoS 1,
 * each at --rate messages per second for --duration seconds over --topics
 * topics (sequence numbers in the payloads).
 *
 * Reported: VmRSS every 10 s (and at the end), so one sees whether memory
 * stops growing once the bounded histories are full; per connection what
 * its publisher got acknowledged against what arrived (unique, duplicates,
 * missing); the longest main-loop stall (AntennaStallProbe, a
 * G_PRIORITY_HIGH 10 ms timer measuring how late it fires), and beside it
 * the most CPU time the main thread used between two such ticks: on a
 * shared machine a late tick with little CPU used means the thread was
 * waiting for a core, not that the main loop was busy.
 *
 * bench/run-load starts a loopback mosquitto and runs this.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-load"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-profile.h"
#include "antenna-stall-probe.h"
#include "antenna-subscription.h"
#include "antenna-topic-tree.h"

#include "bench-common.h"

static char    *opt_host = NULL;
static int      opt_port = 1883;
static int      opt_connections = 10;
static gint64   opt_rate = 10000;
static int      opt_duration = 60;
static int      opt_topics = 1000;
static gint64   opt_size = 64;
static char    *opt_pub = NULL;
static int      opt_drain = 120;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "connections", 'c', 0, G_OPTION_ARG_INT, &opt_connections, "Connections (10)", "N" },
  { "rate", 'r', 0, G_OPTION_ARG_INT64, &opt_rate, "Messages per second to each connection (10000)", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_INT, &opt_duration, "Seconds of publishing (60)", "S" },
  { "topics", 't', 0, G_OPTION_ARG_INT, &opt_topics, "Topics per connection (1000)", "T" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Payload bytes (64)", "BYTES" },
  { "pub", 0, 0, G_OPTION_ARG_FILENAME, &opt_pub, "The bench-pub program (beside this one)", "PATH" },
  { "drain", 0, 0, G_OPTION_ARG_INT, &opt_drain, "Seconds to wait for the rest after the publishers finished (120)", "S" },
  { NULL }
};

typedef struct _Load Load;

typedef struct
{
  Load              *load;
  int                index;
  AntennaClient     *client;
  AntennaTopicTree  *tree;
  AntennaMessageLog *log;
  BenchCounter       counter;
  GSubprocess       *pub;
  gboolean           pub_done;
  gboolean           pub_ok;
  gint64             acked;
  char              *pub_output;
} Conn;

struct _Load
{
  GMainLoop         *loop;
  Conn              *conns;
  int                n_subscribed;
  int                n_pub_done;
  AntennaStallProbe *probe;
  gint64             max_stall;      /* µs, over the whole run */
  gint64             window_stall;   /* µs, in the current 10 s */
  gint64             start_us;       /* monotonic, publishers started */
  gint64             pubs_done_us;
  gint64             last_received;
  gint64             last_report_us;
  int                last_report_s;
  guint              frame_id;
  guint              busy_id;
  gint64             busy_last_cpu;  /* ns of main-thread CPU at the last tick */
  gint64             max_busy;       /* µs of main-thread CPU between two ticks */
  gint64             window_busy;
  guint              tick_id;
  gboolean           failed;
};

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, "VmRSS:");
  if (p == NULL)
    return -1;
  return g_ascii_strtoll (p + 6, NULL, 10);
}

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Main-thread CPU used between two 10 ms high-priority ticks: how long the
 * loop was really busy before it could run this. */
static gboolean
busy_tick_cb (gpointer user_data)
{
  Load *load = user_data;
  gint64 cpu = thread_cpu_ns ();
  gint64 busy = (cpu - load->busy_last_cpu) / 1000;

  load->busy_last_cpu = cpu;
  load->max_busy = MAX (load->max_busy, busy);
  load->window_busy = MAX (load->window_busy, busy);
  return G_SOURCE_CONTINUE;
}

static gint64
total_received (Load *load)
{
  gint64 n = 0;

  for (int i = 0; i < opt_connections; i++)
    n += load->conns[i].counter.received;
  return n;
}

static gboolean
all_complete (Load *load)
{
  for (int i = 0; i < opt_connections; i++)
    if (!bench_counter_done (&load->conns[i].counter))
      return FALSE;
  return TRUE;
}

static void
fail (Load       *load,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Load       *load,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-load: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  load->failed = TRUE;
  g_main_loop_quit (load->loop);
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Conn          *conn)
{
  antenna_topic_tree_add_messages (conn->tree, messages);
  antenna_message_log_add_messages (conn->log, messages);

  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      GBytes *payload = antenna_message_get_payload (message);
      gsize len = 0;
      const void *data = payload ? g_bytes_get_data (payload, &len) : NULL;

      bench_counter_add (&conn->counter, data, len);
    }
}

static void
on_connection_lost_cb (AntennaClient *client,
                       GError        *error,
                       Conn          *conn)
{
  fail (conn->load, "connection %d lost: %s", conn->index, error->message);
}

/* What the UI's frame clock does once per frame. */
static gboolean
frame_cb (gpointer user_data)
{
  Load *load = user_data;

  for (int i = 0; i < opt_connections; i++)
    {
      antenna_topic_tree_flush (load->conns[i].tree);
      antenna_message_log_flush (load->conns[i].log);
    }
  return G_SOURCE_CONTINUE;
}

static void
report (Load       *load,
        const char *when,
        double      t)
{
  gint64 received = total_received (load);
  gint64 now = g_get_monotonic_time ();
  gint64 since = load->last_report_us ? load->last_report_us : load->start_us;
  guint64 topics = 0, logged = 0;

  for (int i = 0; i < opt_connections; i++)
    {
      topics += antenna_topic_tree_get_n_topics (load->conns[i].tree);
      logged += g_list_model_get_n_items (G_LIST_MODEL (load->conns[i].log));
    }
  printf ("%s t=%.1fs rss_kib=%" G_GINT64_FORMAT " received=%" G_GINT64_FORMAT
          " rate_since_last=%.0f topics=%" G_GUINT64_FORMAT " log_items=%" G_GUINT64_FORMAT
          " max_stall_ms_since_last=%.1f max_busy_ms_since_last=%.1f\n",
          when, t, rss_kib (), received,
          now > since ? (received - load->last_received) * (double) G_USEC_PER_SEC / (now - since) : 0.0, topics, logged,
          load->window_stall / 1000.0, load->window_busy / 1000.0);
  fflush (stdout);
  load->last_received = received;
  load->last_report_us = now;
  load->window_stall = 0;
  load->window_busy = 0;
}

static gboolean
tick_cb (gpointer user_data)
{
  Load *load = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 stall = antenna_stall_probe_get_max_stall (load->probe);
  int elapsed_s = (now - load->start_us) / G_USEC_PER_SEC;

  antenna_stall_probe_reset (load->probe);
  load->max_stall = MAX (load->max_stall, stall);
  load->window_stall = MAX (load->window_stall, stall);

  if (elapsed_s >= load->last_report_s + 10)
    {
      load->last_report_s = elapsed_s - elapsed_s % 10;
      report (load, "SAMPLE", (now - load->start_us) / (double) G_USEC_PER_SEC);
    }

  if (all_complete (load) && load->n_pub_done == opt_connections)
    {
      g_main_loop_quit (load->loop);
      load->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (load->pubs_done_us != 0 && now - load->pubs_done_us > (gint64) opt_drain * G_USEC_PER_SEC)
    {
      fprintf (stderr, "bench-load: still incomplete %d s after the publishers finished\n", opt_drain);
      g_main_loop_quit (load->loop);
      load->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_pub_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Conn *conn = user_data;
  Load *load = conn->load;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_output = NULL;
  const char *acked;

  conn->pub_done = TRUE;
  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                             &conn->pub_output, &err_output, &error))
    fprintf (stderr, "bench-load: publisher %d: %s\n", conn->index, error->message);
  else if (!g_subprocess_get_if_exited (conn->pub) || g_subprocess_get_exit_status (conn->pub) != 0)
    fprintf (stderr, "bench-load: publisher %d failed: %s", conn->index, err_output ? err_output : "");
  else
    conn->pub_ok = TRUE;

  acked = conn->pub_output ? strstr (conn->pub_output, " acked=") : NULL;
  conn->acked = acked ? g_ascii_strtoll (acked + 7, NULL, 10) : 0;

  if (++load->n_pub_done == opt_connections)
    {
      load->pubs_done_us = g_get_monotonic_time ();
      printf ("PUBLISHED t=%.1fs (every publisher's last PUBACK) received_so_far=%" G_GINT64_FORMAT "\n",
              (load->pubs_done_us - load->start_us) / (double) G_USEC_PER_SEC, total_received (load));
      fflush (stdout);
    }
}

static void
start_publishers (Load *load)
{
  g_autofree char *port = g_strdup_printf ("%d", opt_port);
  g_autofree char *rate = g_strdup_printf ("%" G_GINT64_FORMAT, opt_rate);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, opt_rate * opt_duration);
  g_autofree char *topics = g_strdup_printf ("%d", opt_topics);
  g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, opt_size);
  g_autofree char *timeout = g_strdup_printf ("%d", opt_duration + opt_drain + 60);

  antenna_stall_probe_reset (load->probe);
  load->max_busy = load->window_busy = 0;
  load->start_us = g_get_monotonic_time ();
  printf ("START connections=%d rate=%" G_GINT64_FORMAT " duration_s=%d topics=%d size=%" G_GINT64_FORMAT
          " rss_kib=%" G_GINT64_FORMAT "\n",
          opt_connections, opt_rate, opt_duration, opt_topics, opt_size, rss_kib ());
  fflush (stdout);

  for (int i = 0; i < opt_connections; i++)
    {
      Conn *conn = &load->conns[i];
      g_autofree char *prefix = g_strdup_printf ("bench/load/%d/", i);
      g_autofree char *id = g_strdup_printf ("bench-load-pub-%d-%d", (int) getpid (), i);
      g_autoptr(GError) error = NULL;
      const char *argv[] = {
        opt_pub, "--host", opt_host, "--port", port, "--qos", "1", "--rate", rate,
        "--count", count, "--topics", topics, "--prefix", prefix, "--size", size,
        "--id", id, "--timeout", timeout, NULL
      };

      conn->counter.ready_us = g_get_real_time ();
      conn->pub = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      if (conn->pub == NULL)
        {
          fail (load, "cannot start %s: %s", opt_pub, error->message);
          return;
        }
      g_subprocess_communicate_utf8_async (conn->pub, NULL, NULL, on_pub_done_cb, conn);
    }
  load->tick_id = g_timeout_add (1000, tick_cb, load);
}

static void
on_subscribed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;

  if (antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error) < 0 || error != NULL)
    {
      fail (conn->load, "connection %d could not subscribe: %s", conn->index,
            error ? error->message : "refused");
      return;
    }
  if (++conn->load->n_subscribed == opt_connections)
    start_publishers (conn->load);
}

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(AntennaSubscription) subscription = NULL;
  g_autofree char *filter = NULL;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error))
    {
      fail (conn->load, "connection %d: %s", conn->index, error->message);
      return;
    }
  conn->counter.connected_us = g_get_real_time ();
  filter = g_strdup_printf ("bench/load/%d/#", conn->index);
  subscription = antenna_subscription_new (filter, 1);
  antenna_client_subscribe_async (conn->client, subscription, NULL, on_subscribed_cb, conn);
}

static void
on_disconnected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  int *pending = user_data;

  antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);
  (*pending)--;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Load load = { 0 };
  gint64 sent = 0, unique = 0, dups = 0, missing = 0, bad = 0;
  gboolean ok;
  int pending = 0;
  double run_s;

  context = g_option_context_new ("- ten AntennaClients under a sustained QoS 1 load");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-load: %s\n", error->message);
      return 2;
    }
  if (opt_connections < 1 || opt_rate < 1 || opt_duration < 1 || opt_topics < 1 || opt_size < 10)
    {
      fprintf (stderr, "bench-load: connections, rate, duration, topics ≥ 1, size ≥ 10\n");
      return 2;
    }
  if (opt_host == NULL)
    opt_host = g_strdup ("127.0.0.1");
  if (opt_pub == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (argv[0]);
      opt_pub = g_build_filename (dir, "bench-pub", NULL);
    }

  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

  load.loop = g_main_loop_new (NULL, FALSE);
  load.conns = g_new0 (Conn, opt_connections);
  load.probe = antenna_stall_probe_new ();
  load.frame_id = g_timeout_add (16, frame_cb, &load);
  load.busy_last_cpu = thread_cpu_ns ();
  load.busy_id = g_timeout_add_full (G_PRIORITY_HIGH, 10, busy_tick_cb, &load, NULL);
  printf ("BEFORE rss_kib=%" G_GINT64_FORMAT "\n", rss_kib ());

  for (int i = 0; i < opt_connections; i++)
    {
      Conn *conn = &load.conns[i];
      g_autoptr(AntennaProfile) profile = antenna_profile_new ();
      g_autofree char *client_id = g_strdup_printf ("bench-load-%d-%d", (int) getpid (), i);

      conn->load = &load;
      conn->index = i;
      antenna_profile_set_name (profile, "bench-load");
      antenna_profile_set_host (profile, opt_host);
      antenna_profile_set_port (profile, opt_port);
      antenna_profile_set_client_id (profile, client_id);
      antenna_profile_set_auto_reconnect (profile, FALSE);
      bench_counter_init (&conn->counter, opt_rate * opt_duration, opt_size);
      conn->counter.start_us = g_get_real_time ();
      conn->tree = antenna_topic_tree_new (ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT);
      conn->log = antenna_message_log_new (ANTENNA_MESSAGE_LOG_DEFAULT_LIMIT);
      conn->client = antenna_client_new (profile);
      g_signal_connect (conn->client, "messages-received", G_CALLBACK (on_messages_received_cb), conn);
      g_signal_connect (conn->client, "connection-lost", G_CALLBACK (on_connection_lost_cb), conn);
      antenna_client_connect_async (conn->client, NULL, NULL, on_connected_cb, conn);
    }

  g_main_loop_run (load.loop);
  g_clear_handle_id (&load.tick_id, g_source_remove);
  load.max_stall = MAX (load.max_stall, antenna_stall_probe_get_max_stall (load.probe));
  run_s = load.start_us ? (g_get_monotonic_time () - load.start_us) / (double) G_USEC_PER_SEC : 0;
  report (&load, "END", run_s);

  for (int i = 0; i < opt_connections; i++)
    {
      Conn *conn = &load.conns[i];
      BenchCounter *c = &conn->counter;
      gint64 conn_missing = c->expected - c->unique;
      double span = c->last_us > c->first_us ? (c->last_us - c->first_us) / 1e6 : 0;

      printf ("CONN %d published=%" G_GINT64_FORMAT " acked=%" G_GINT64_FORMAT " received=%" G_GINT64_FORMAT
              " unique=%" G_GINT64_FORMAT " dups=%" G_GINT64_FORMAT " missing=%" G_GINT64_FORMAT
              " bad=%" G_GINT64_FORMAT " rate=%.0f last_after_start_s=%.1f topics=%u%s\n",
              i, c->expected, conn->acked, c->received, c->unique, c->dups, conn_missing, c->bad,
              span > 0 ? (c->received - 1) / span : 0.0,
              c->last_us > c->ready_us ? (c->last_us - c->ready_us) / 1e6 : 0.0,
              antenna_topic_tree_get_n_topics (conn->tree),
              conn->pub_ok ? "" : " publisher-failed");
      sent += conn->acked;
      unique += c->unique;
      dups += c->dups;
      missing += conn_missing;
      bad += c->bad;
    }
  ok = !load.failed && missing == 0 && dups == 0 && bad == 0 && sent == unique;
  printf ("TOTAL acked=%" G_GINT64_FORMAT " unique=%" G_GINT64_FORMAT " dups=%" G_GINT64_FORMAT
          " missing=%" G_GINT64_FORMAT " bad=%" G_GINT64_FORMAT " achieved_rate=%.0f max_stall_ms=%.1f max_busy_ms=%.1f"
          " stall_ticks=%" G_GUINT64_FORMAT " %s\n",
          sent, unique, dups, missing, bad, run_s > 0 ? (unique + dups) / run_s : 0.0,
          load.max_stall / 1000.0, load.max_busy / 1000.0, antenna_stall_probe_get_n_ticks (load.probe), ok ? "OK" : "FAILED");
  bench_print_threads (stdout);

  /* Leave cleanly; stop any publisher still running. */
  for (int i = 0; i < opt_connections; i++)
    {
      Conn *conn = &load.conns[i];

      if (conn->pub != NULL && !conn->pub_done)
        g_subprocess_force_exit (conn->pub);
      if (antenna_client_get_state (conn->client) == ANTENNA_CLIENT_STATE_CONNECTED)
        {
          pending++;
          antenna_client_disconnect_async (conn->client, NULL, on_disconnected_cb, &pending);
        }
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < opt_connections; i++)
    {
      Conn *conn = &load.conns[i];

      while (conn->pub != NULL && !conn->pub_done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_object (&conn->pub);
      g_clear_object (&conn->client);
      g_clear_object (&conn->tree);
      g_clear_object (&conn->log);
      g_free (conn->pub_output);
      bench_counter_clear (&conn->counter);
    }
  g_clear_handle_id (&load.frame_id, g_source_remove);
  g_clear_handle_id (&load.busy_id, g_source_remove);
  antenna_stall_probe_free (load.probe);
  g_free (load.conns);
  g_main_loop_unref (load.loop);

  return ok ? 0 : 1;
}
