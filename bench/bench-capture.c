/* bench-capture.c: what recording costs, how fast a capture exports, and
 * how long a large capture takes to open
 *
 *   bench-capture --pub build/bench/bench-pub [--count N] [--topics T] [--runs R]
 *
 * Starts its own mosquitto on a free loopback port, then:
 * 1. ingest: an AntennaClient subscribed to bench/# while bench-pub floods N
 *    messages of 64 bytes over T topics; runs alternate recording off and
 *    on (antenna_capture_attach_client, as the app's Record toggle), and the
 *    medians of their rates (messages/s from the publisher's start to the
 *    last message on the main loop) give the ratio on/off. With recording
 *    on it also reports how long the writer took to have everything in the
 *    file after the last message arrived, and the longest time one
 *    ::messages-received emission spent queueing the batch for the writer.
 * 2. export: the last capture to CSV and to JSON Lines (messages/s).
 * 3. open: a capture of --open-count messages (1,000,000) written directly,
 *    then the time to open it, count it and read the first page of 200 (what
 *    a page needs before its first frame), median of the runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-capture"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "antenna-capture.h"
#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"
#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"

#include "bench-capture-common.h"
#include "bench-common.h"

static char   *opt_pub = NULL;
static gint64  opt_count = 200000;
static int     opt_topics = 10000;
static int     opt_runs = 3;
static gint64  opt_open_count = 1000000;

static GOptionEntry entries[] = {
  { "pub", 0, 0, G_OPTION_ARG_FILENAME, &opt_pub, "bench-pub, the flooding publisher", "PATH" },
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages per ingest run (200000)", "N" },
  { "topics", 't', 0, G_OPTION_ARG_INT, &opt_topics, "Topics (10000)", "T" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each case (3)", "R" },
  { "open-count", 0, 0, G_OPTION_ARG_INT64, &opt_open_count, "Messages in the capture opened (1000000)", "N" },
  { NULL }
};

typedef struct
{
  gint64  received;
  gint64  last_us;
  gint64  max_queue_us;
  AntennaCapture *capture;
} Ingest;

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GSubprocess *
start_broker (const char *dir,
              guint       port)
{
  g_autofree char *config = g_build_filename (dir, "mosquitto.conf", NULL);
  g_autofree char *text = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "max_queued_messages 1000000\nmax_inflight_messages 0\n"
                                           "%s", port, getuid () == 0 ? "user root\n" : "");
  g_autoptr(GError) error = NULL;
  GSubprocess *broker;

  g_file_set_contents (config, text, -1, NULL);
  broker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             "mosquitto", "-c", config, NULL);
  if (broker == NULL)
    g_error ("mosquitto: %s", error->message);
  g_usleep (G_USEC_PER_SEC / 2);
  return broker;
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Ingest        *ingest)
{
  ingest->received += messages->len;
  ingest->last_us = g_get_real_time ();
}

/* Connected last, so it runs after the capture's handler: how long the
 * capture's share of the emission took is measured around the whole. */
static void
on_messages_received_timed_cb (AntennaClient *client,
                               GPtrArray     *messages,
                               Ingest        *ingest)
{
  gint64 start = g_get_monotonic_time ();

  antenna_capture_append_batch (ingest->capture, messages);
  ingest->max_queue_us = MAX (ingest->max_queue_us, g_get_monotonic_time () - start);
}

/* One ingest run; the capture at @record_path when not NULL. Returns
 * messages/s, sets *@catch_up_s and *@max_queue_us. */
static double
ingest_run (guint        port,
            const char  *record_path,
            double      *catch_up_s,
            gint64      *max_queue_us)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaSubscription) subscription = antenna_subscription_new ("bench/#", 0);
  g_autoptr(AntennaCapture) capture = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSubprocess) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, opt_count);
  g_autofree char *topics_text = g_strdup_printf ("%d", opt_topics);
  g_autofree char *client_id = g_strdup_printf ("bench-capture-%d", g_random_int_range (0, 1000000));
  Ingest ingest = { 0, };
  gint64 start, deadline;

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, port);
  antenna_profile_set_client_id (profile, client_id);
  client = antenna_client_new (profile);
  g_signal_connect (client, "messages-received", G_CALLBACK (on_messages_received_cb), &ingest);

  antenna_client_connect_async (client, NULL, NULL, bench_store_result, &result);
  bench_wait_result (&result);
  if (!antenna_client_connect_finish (client, result, &error))
    g_error ("connect: %s", error->message);
  g_clear_object (&result);
  antenna_client_subscribe_async (client, subscription, NULL, bench_store_result, &result);
  bench_wait_result (&result);
  if (antenna_client_subscribe_finish (client, result, &error) < 0)
    g_error ("subscribe: %s", error->message);
  g_clear_object (&result);

  if (record_path != NULL)
    {
      capture = antenna_capture_new (record_path, 0, &error);
      if (capture == NULL)
        g_error ("%s", error->message);
      ingest.capture = capture;
      /* As antenna_capture_attach_client() does, timed. */
      g_signal_connect (client, "messages-received", G_CALLBACK (on_messages_received_timed_cb), &ingest);
    }

  start = g_get_real_time ();
  pub = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, opt_pub, "-p", port_text, "-n", count_text,
                          "-t", topics_text, "--prefix", "bench/t/", "-s", "64", NULL);
  if (pub == NULL)
    g_error ("bench-pub: %s", error->message);

  deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  while (ingest.received < opt_count && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (ingest.received < opt_count)
    g_error ("only %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " messages came", ingest.received, opt_count);
  g_subprocess_wait (pub, NULL, NULL);

  *catch_up_s = 0;
  *max_queue_us = ingest.max_queue_us;
  if (capture != NULL)
    {
      gint64 arrived = g_get_monotonic_time ();

      g_signal_handlers_disconnect_by_data (client, &ingest);
      antenna_capture_stop_async (capture, NULL, bench_store_result, &result);
      bench_wait_result (&result);
      if (!antenna_capture_stop_finish (capture, result, &error))
        g_error ("%s", error->message);
      g_clear_object (&result);
      *catch_up_s = (g_get_monotonic_time () - arrived) / (double) G_USEC_PER_SEC;
      if ((gint64) antenna_capture_get_n_written (capture) != opt_count)
        g_error ("the capture has %" G_GUINT64_FORMAT " messages", antenna_capture_get_n_written (capture));
    }
  g_signal_handlers_disconnect_by_data (client, &ingest);

  antenna_client_disconnect_async (client, NULL, bench_store_result, &result);
  bench_wait_result (&result);
  g_clear_object (&result);

  return opt_count / ((ingest.last_us - start) / (double) G_USEC_PER_SEC);
}

static double
export_rate (const char           *capture,
             const char           *dir,
             AntennaCaptureFormat  format)
{
  g_autofree char *out_path = g_build_filename (dir, format == ANTENNA_CAPTURE_FORMAT_CSV ? "out.csv" : "out.jsonl", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  antenna_capture_export_async (capture, NULL, format, out, NULL, NULL, NULL, bench_store_result, &result);
  bench_wait_result (&result);
  if (!antenna_capture_export_finish (result, &error))
    g_error ("export: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_unlink (out_path);
  return opt_count / seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the cost of recording, export and open");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *last_capture = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) on = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) catch_up = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) csv = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) jsonl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 max_queue_us = 0;
  guint port;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_pub == NULL)
    {
      g_printerr ("bench-capture: %s\n", error != NULL ? error->message : "--pub PATH is needed");
      return 2;
    }

  dir = g_dir_make_tmp ("bench-capture-XXXXXX", NULL);
  port = free_port ();
  broker = start_broker (dir, port);

  printf ("# bench-capture: %" G_GINT64_FORMAT " messages of 64 B over %d topics, %d runs of each case\n",
          opt_count, opt_topics, opt_runs);
  for (int r = 0; r < opt_runs; r++)
    {
      g_autofree char *path = g_strdup_printf ("%s/run-%d" ANTENNA_CAPTURE_SUFFIX, dir, r);
      double s, rate;
      gint64 queue_us;

      rate = ingest_run (port, NULL, &s, &queue_us);
      g_array_append_val (off, rate);
      printf ("run %d  recording off: %.0f msg/s\n", r + 1, rate);
      rate = ingest_run (port, path, &s, &queue_us);
      g_array_append_val (on, rate);
      g_array_append_val (catch_up, s);
      max_queue_us = MAX (max_queue_us, queue_us);
      printf ("run %d  recording on:  %.0f msg/s, all in the file %.2f s after the last arrived, "
              "longest queueing of a batch %.3f ms\n", r + 1, rate, s, queue_us / 1000.0);
      if (last_capture != NULL)
        g_unlink (last_capture);
      g_free (last_capture);
      last_capture = g_steal_pointer (&path);
    }
  g_subprocess_force_exit (broker);

  for (int r = 0; r < opt_runs; r++)
    {
      double rate = export_rate (last_capture, dir, ANTENNA_CAPTURE_FORMAT_CSV);

      g_array_append_val (csv, rate);
      rate = export_rate (last_capture, dir, ANTENNA_CAPTURE_FORMAT_JSON_LINES);
      g_array_append_val (jsonl, rate);
    }

  {
    g_autofree char *large = g_strdup_printf ("%s/large" ANTENNA_CAPTURE_SUFFIX, dir);
    GStatBuf st;

    bench_write_capture (large, opt_open_count, opt_topics, g_get_real_time ());
    g_stat (large, &st);
    for (int r = 0; r < opt_runs; r++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (large, &error);
        AntennaCaptureCursor cursor;
        g_autoptr(GPtrArray) page = NULL;
        gint64 n, first, last;
        double ms;

        if (reader == NULL)
          g_error ("%s", error->message);
        n = antenna_capture_reader_count (reader, NULL, &error);
        antenna_capture_reader_get_time_range (reader, &first, &last, &error);
        antenna_capture_cursor_init (&cursor);
        page = antenna_capture_reader_read_page (reader, NULL, &cursor, 200, &error);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        if (n != opt_open_count || page == NULL || page->len != 200)
          g_error ("the large capture does not read back");
        g_array_append_val (open_ms, ms);
      }
    printf ("# open: a capture of %" G_GINT64_FORMAT " messages (%.0f MB)\n", opt_open_count, st.st_size / 1e6);
    g_unlink (large);
  }

  printf ("\nrecording off, median:            %.0f msg/s\n", bench_median (off));
  printf ("recording on, median:             %.0f msg/s\n", bench_median (on));
  printf ("ratio on/off:                     %.2f (target >= 0.90)\n", bench_median (on) / bench_median (off));
  printf ("writer behind the last message:   %.2f s (median)\n", bench_median (catch_up));
  printf ("longest batch queueing (main):    %.3f ms\n", max_queue_us / 1000.0);
  printf ("export CSV, median:               %.0f msg/s\n", bench_median (csv));
  printf ("export JSON Lines, median:        %.0f msg/s\n", bench_median (jsonl));
  printf ("open %" G_GINT64_FORMAT " messages + count + first page of 200, median: %.1f ms\n",
          opt_open_count, bench_median (open_ms));

  if (last_capture != NULL)
    g_unlink (last_capture);
  g_rmdir (dir);
  return 0;
}
