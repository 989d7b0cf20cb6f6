/* bench-loadgen.c: the load generator (AntennaLoadTest) as a flood publisher
 *
 * One AntennaClient (MQTT 3.1.1, as bench-pub speaks) publishes --count
 * messages of --size bytes over --topics topics at --qos, as fast as the
 * broker takes them, through AntennaLoadTest exactly as the app's load test
 * does; with --latency the same connection subscribes to the topics and the
 * latency percentiles are reported too. With --ws-path it speaks MQTT over a
 * WebSocket at that path of --port (tests/ws-broker.js serves /mqtt). An
 * AntennaStallProbe measures the longest main-loop stall meanwhile.
 * bench/run-loadgen runs it beside bench-pub and mosquitto_pub.
 *
 * Prints one line: loadgen qos=… count=… completed=… failed=… rate=…
 * max_stall_us=… [p50_us=… p90_us=… p99_us=…].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-loadgen"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "antenna-client.h"
#include "antenna-load-test.h"
#include "antenna-profile.h"
#include "antenna-stall-probe.h"

static char    *opt_host = NULL;
static int      opt_port = 1883;
static int      opt_qos = 0;
static gint64   opt_count = 200000;
static gint64   opt_size = 64;
static int      opt_topics = 1000;
static char    *opt_prefix = NULL;
static double   opt_rate = 0;
static gboolean opt_latency = FALSE;
static char    *opt_ws_path = NULL;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "qos", 'q', 0, G_OPTION_ARG_INT, &opt_qos, "QoS 0, 1 or 2 (0)", "QOS" },
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages to publish (200000)", "N" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Payload bytes (64)", "BYTES" },
  { "topics", 't', 0, G_OPTION_ARG_INT, &opt_topics, "Number of topics (1000)", "T" },
  { "prefix", 'P', 0, G_OPTION_ARG_STRING, &opt_prefix, "Topic prefix (bench/t/)", "PREFIX" },
  { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &opt_rate, "Target rate (0: as fast as possible)", "N" },
  { "latency", 'l', 0, G_OPTION_ARG_NONE, &opt_latency, "Subscribe and measure latency", NULL },
  { "ws-path", 'w', 0, G_OPTION_ARG_STRING, &opt_ws_path, "MQTT over a WebSocket at this path (TCP)", "PATH" },
  { NULL }
};

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  if (!antenna_client_connect_finish (ANTENNA_CLIENT (object), result, error) && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "connect failed");
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "connected");
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (antenna_load_test_run_finish (ANTENNA_LOAD_TEST (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- AntennaLoadTest as a flood publisher");
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new ();
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(AntennaStallProbe) probe = NULL;
  AntennaLoadTestOptions options = { 0, };
  AntennaLoadTestResult result;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-loadgen: %s\n", error->message);
      return 2;
    }

  antenna_profile_set_host (profile, opt_host ? opt_host : "127.0.0.1");
  antenna_profile_set_port (profile, opt_port);
  if (opt_ws_path != NULL)
    {
      antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WS);
      antenna_profile_set_ws_path (profile, opt_ws_path);
    }
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  client = antenna_client_new (profile);
  antenna_client_connect_async (client, NULL, NULL, on_connected_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      fprintf (stderr, "bench-loadgen: %s\n", error->message);
      return 1;
    }
  g_clear_error (&error);

  options.count = opt_count;
  options.rate = opt_rate;
  options.topics = opt_topics;
  options.prefix = opt_prefix ? opt_prefix : (char *) "bench/t/";
  options.payload_size = opt_size;
  options.qos = opt_qos;
  options.measure_latency = opt_latency;
  g_ptr_array_add (clients, client);
  load = antenna_load_test_new (clients, &options);

  probe = antenna_stall_probe_new ();
  antenna_load_test_run_async (load, NULL, on_done_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      fprintf (stderr, "bench-loadgen: %s\n", error->message);
      return 1;
    }

  antenna_load_test_get_result (load, &result);
  if (antenna_load_test_get_last_error (load) != NULL)
    g_printerr ("bench-loadgen: %s\n", antenna_load_test_get_last_error (load));
  printf ("loadgen direct=%u qos=%d count=%" G_GINT64_FORMAT " size=%" G_GINT64_FORMAT " completed=%" G_GUINT64_FORMAT
          " failed=%" G_GUINT64_FORMAT " received=%" G_GUINT64_FORMAT " rate=%.0f max_stall_us=%" G_GINT64_FORMAT
          " p50_us=%" G_GINT64_FORMAT " p90_us=%" G_GINT64_FORMAT " p99_us=%" G_GINT64_FORMAT "\n",
          result.direct, opt_qos, opt_count, opt_size, result.completed, result.failed, result.received, result.rate,
          antenna_stall_probe_get_max_stall (probe), result.latency_p50, result.latency_p90, result.latency_p99);
  fflush (stdout);
  return result.completed == (guint64) opt_count ? 0 : 1;
}
