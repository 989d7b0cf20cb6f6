/* antenna-frame-probe.c: what the GUI benchmark reads from inside the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-frame-probe"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib-unix.h>

#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-frame-probe.h"
#include "antenna-message-log.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-stall-probe.h"
#include "antenna-subscription.h"
#include "antenna-topic-tree.h"
#include "antenna-window-private.h"

#define SCAN_INTERVAL_MS   50
#define WRITE_EVERY_SCANS  5     /* 250 ms */

typedef struct
{
  guint64 n_messages;
  guint64 n_batches;
  guint   max_batch;
  gsize   largest;
  gint64  first_us;      /* g_get_real_time (), like bench-pub's times */
  gint64  last_us;
} Counter;

typedef struct
{
  GtkApplication    *app;          /* unowned: the probe lives as long as the process */
  char              *path;
  AntennaStallProbe *stall_total;
  AntennaStallProbe *stall_window;
  GtkWidget         *window;       /* the first window, the one whose frames count */
  GdkFrameClock     *clock;
  gint64             first_frame_us;
  guint64            frames_total;
  GArray            *paints;       /* gint64 monotonic µs of each paint in this window */
  gint64             window_start_us;
  gint64             first_message_us;  /* monotonic, any connection, in this window */
  gint64             last_message_us;
  gint64             emission_us;       /* when the current ::messages-received began */
  gint64             phase_us[4];       /* this frame: before-paint, end of update, layout, paint */
  gint64             max_phase_us[4];   /* the longest update, layout, paint and whole frame, in this window */
  gint64             max_handlers_us;   /* the longest the handlers before ours took, in this window */
  guint              max_handlers_batch;
  guint              n_windows;    /* SIGUSR1 count */
  gint64             select_us;    /* SIGUSR2 */
  gint64             inspected_us;
  gsize              selected_size;
  gint64             poll_return_us;    /* when the main loop last woke up */
  gint64             poll_return_cpu_us;
  gint64             max_work_us;       /* the longest between waking up and sleeping again, in this window */
  gint64             max_work_cpu_us;   /* ... in the main thread's CPU time */
  GFile             *save_file;    /* ANTENNA_PROBE_SAVE */
  gint64             save_us;      /* SIGHUP */
  gint64             saved_us;
  guint              n_scans;
} Probe;

static gint64 main_start_us;
static Probe *probe;

void
antenna_frame_probe_mark_main_start (void)
{
  main_start_us = g_get_monotonic_time ();
}

static void
read_memory (guint64 *hwm_kb,
             guint64 *rss_kb)
{
  g_autofree char *status = NULL;
  const char *line;

  *hwm_kb = *rss_kb = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;

  if ((line = strstr (status, "VmHWM:")) != NULL)
    *hwm_kb = g_ascii_strtoull (line + 6, NULL, 10);
  if ((line = strstr (status, "VmRSS:")) != NULL)
    *rss_kb = g_ascii_strtoull (line + 6, NULL, 10);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (const gint64 *sorted,
               guint         n,
               double        p)
{
  guint i;

  if (n == 0)
    return 0;

  i = (guint) MIN ((double) n - 1, MAX (0.0, p * n - 1 + 0.999999));
  return sorted[i] / 1000.0;
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Counter       *counter)
{
  gint64 now = g_get_real_time ();

  probe->last_message_us = g_get_monotonic_time ();
  /* Ours is connected last: the time since the emission began is what the
   * page's handlers (topic tree, log, …) took for this batch. */
  if (probe->emission_us > 0 && probe->last_message_us - probe->emission_us > probe->max_handlers_us)
    {
      probe->max_handlers_us = probe->last_message_us - probe->emission_us;
      probe->max_handlers_batch = messages->len;
    }

  if (probe->first_message_us == 0)
    probe->first_message_us = probe->last_message_us;

  if (counter->n_messages == 0)
    counter->first_us = now;
  counter->last_us = now;
  counter->n_messages += messages->len;
  counter->n_batches++;
  counter->max_batch = MAX (counter->max_batch, messages->len);

  for (guint i = 0; i < messages->len; i++)
    counter->largest = MAX (counter->largest, antenna_message_get_size (g_ptr_array_index (messages, i)));
}

typedef void (*ConnectionFunc) (AntennaConnection *connection,
                                gpointer           user_data);

static void
foreach_connection (ConnectionFunc func,
                    gpointer       user_data)
{
  for (GList *l = gtk_application_get_windows (probe->app); l != NULL; l = l->next)
    {
      GHashTableIter iter;
      AntennaConnection *connection;

      if (!ANTENNA_IS_WINDOW (l->data))
        continue;

      g_hash_table_iter_init (&iter, ANTENNA_WINDOW (l->data)->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
        func (connection, user_data);
    }
}

static gboolean
on_emission_hook_cb (GSignalInvocationHint *hint,
                     guint                  n_params,
                     const GValue          *params,
                     gpointer               user_data)
{
  probe->emission_us = g_get_monotonic_time ();

  return TRUE;
}

static void
watch_connection (AntennaConnection *connection,
                  gpointer           user_data)
{
  Counter *counter;

  if (connection->client == NULL ||
      g_object_get_data (G_OBJECT (connection->client), "antenna-frame-probe") != NULL)
    return;

  counter = g_new0 (Counter, 1);
  g_object_set_data_full (G_OBJECT (connection->client), "antenna-frame-probe", counter, g_free);
  g_signal_connect (connection->client, "messages-received", G_CALLBACK (on_messages_received_cb), counter);
}

static void
append_connection (AntennaConnection *connection,
                   gpointer           user_data)
{
  GString *json = user_data;
  Counter *counter = NULL;
  gboolean subscribed = FALSE;
  guint64 tree_count = 0, log_count = 0;
  guint n_topics = 0, log_items = 0;
  g_autofree char *name = g_strescape (antenna_profile_get_name (connection->profile), NULL);

  if (connection->client != NULL)
    {
      GListModel *subscriptions = antenna_client_get_subscriptions (connection->client);
      guint n = g_list_model_get_n_items (subscriptions);

      counter = g_object_get_data (G_OBJECT (connection->client), "antenna-frame-probe");
      subscribed = n > 0 && antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_CONNECTED;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AntennaSubscription) sub = g_list_model_get_item (subscriptions, i);

          if (antenna_subscription_get_state (sub) != ANTENNA_SUBSCRIPTION_STATE_ACTIVE)
            subscribed = FALSE;
        }
    }

  if (connection->page != NULL && ANTENNA_IS_CONNECTION_PAGE (connection->page))
    {
      AntennaConnectionPage *page = ANTENNA_CONNECTION_PAGE (connection->page);
      AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (page);
      AntennaMessageLog *log = _antenna_connection_page_get_message_log (page);

      if (tree != NULL)
        {
          tree_count = antenna_topic_tree_get_total_count (tree);
          n_topics = antenna_topic_tree_get_n_topics (tree);
        }
      if (log != NULL)
        {
          log_count = antenna_message_log_get_total_count (log);
          log_items = g_list_model_get_n_items (G_LIST_MODEL (log));
        }
    }

  if (json->str[json->len - 1] != '[')
    g_string_append_c (json, ',');
  g_string_append_printf (json,
                          "\n    {\"name\": \"%s\", \"state\": %d, \"subscribed\": %s, "
                          "\"messages\": %" G_GUINT64_FORMAT ", \"batches\": %" G_GUINT64_FORMAT ", \"max_batch\": %u, "
                          "\"largest\": %" G_GSIZE_FORMAT ", "
                          "\"first_message_real_us\": %" G_GINT64_FORMAT ", \"last_message_real_us\": %" G_GINT64_FORMAT ", "
                          "\"tree_count\": %" G_GUINT64_FORMAT ", \"topics\": %u, "
                          "\"log_count\": %" G_GUINT64_FORMAT ", \"log_items\": %u}",
                          name,
                          connection->client != NULL ? (int) antenna_client_get_state (connection->client) : -1,
                          subscribed ? "true" : "false",
                          counter ? counter->n_messages : 0,
                          counter ? counter->n_batches : 0,
                          counter ? counter->max_batch : 0,
                          counter ? counter->largest : 0,
                          counter ? counter->first_us : 0,
                          counter ? counter->last_us : 0,
                          tree_count, n_topics, log_count, log_items);
}

/* The intervals between the paints while messages were arriving: from the
 * first paint after the first message to the first paint after the last one
 * (which shows it). Without messages, every interval of the window. Outside
 * that period GTK paints only when something changes, so the gaps there
 * measure idleness, not slowness. */
static GArray *
flood_intervals (void)
{
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 from = probe->first_message_us;
  gint64 to = probe->last_message_us;

  for (guint i = 1; i < probe->paints->len; i++)
    {
      gint64 prev = g_array_index (probe->paints, gint64, i - 1);
      gint64 cur = g_array_index (probe->paints, gint64, i);
      gint64 interval = cur - prev;

      if (from != 0 && (prev < from || prev > to))
        continue;
      g_array_append_val (intervals, interval);
    }

  return intervals;
}

static void
write_report (gboolean final)
{
  g_autoptr(GString) json = g_string_new ("{\n");
  g_autoptr(GArray) sorted = flood_intervals ();
  g_autoptr(GError) error = NULL;
  gint64 frame_max = 0;
  guint64 hwm_kb, rss_kb;

  g_array_sort (sorted, compare_gint64);
  if (sorted->len > 0)
    frame_max = g_array_index (sorted, gint64, sorted->len - 1);
  read_memory (&hwm_kb, &rss_kb);

  g_string_append_printf (json, "  \"pid\": %d,\n  \"final\": %s,\n", (int) getpid (), final ? "true" : "false");
  g_string_append_printf (json, "  \"now_us\": %" G_GINT64_FORMAT ",\n", g_get_monotonic_time ());
  g_string_append_printf (json, "  \"main_start_us\": %" G_GINT64_FORMAT ",\n", main_start_us);
  g_string_append_printf (json, "  \"first_frame_us\": %" G_GINT64_FORMAT ",\n", probe->first_frame_us);
  g_string_append_printf (json, "  \"first_frame_ms\": %.1f,\n",
                          probe->first_frame_us > 0 && main_start_us > 0 ?
                          (probe->first_frame_us - main_start_us) / 1000.0 : -1.0);
  g_string_append_printf (json, "  \"frames_total\": %" G_GUINT64_FORMAT ",\n", probe->frames_total);
  g_string_append_printf (json, "  \"max_stall_total_ms\": %.1f,\n",
                          antenna_stall_probe_get_max_stall (probe->stall_total) / 1000.0);
  g_string_append_printf (json, "  \"window\": %u,\n", probe->n_windows);
  g_string_append_printf (json, "  \"window_start_us\": %" G_GINT64_FORMAT ",\n", probe->window_start_us);
  g_string_append_printf (json, "  \"paints\": %u,\n", probe->paints->len);
  g_string_append_printf (json, "  \"frames\": %u,\n", sorted->len);
  g_string_append_printf (json, "  \"frame_p50_ms\": %.1f,\n", percentile_ms ((gint64 *) sorted->data, sorted->len, 0.50));
  g_string_append_printf (json, "  \"frame_p99_ms\": %.1f,\n", percentile_ms ((gint64 *) sorted->data, sorted->len, 0.99));
  g_string_append_printf (json, "  \"frame_max_ms\": %.1f,\n", frame_max / 1000.0);
  g_string_append_printf (json, "  \"max_stall_ms\": %.1f,\n",
                          antenna_stall_probe_get_max_stall (probe->stall_window) / 1000.0);
  g_string_append_printf (json, "  \"max_handlers_ms\": %.1f,\n", probe->max_handlers_us / 1000.0);
  g_string_append_printf (json, "  \"max_update_ms\": %.1f,\n  \"max_layout_ms\": %.1f,\n"
                          "  \"max_paint_ms\": %.1f,\n  \"max_frame_work_ms\": %.1f,\n",
                          probe->max_phase_us[0] / 1000.0, probe->max_phase_us[1] / 1000.0,
                          probe->max_phase_us[2] / 1000.0, probe->max_phase_us[3] / 1000.0);
  g_string_append_printf (json, "  \"max_handlers_batch\": %u,\n", probe->max_handlers_batch);
  g_string_append_printf (json, "  \"max_iteration_ms\": %.1f,\n  \"max_iteration_cpu_ms\": %.1f,\n",
                          probe->max_work_us / 1000.0, probe->max_work_cpu_us / 1000.0);
  g_string_append_printf (json, "  \"stall_ticks\": %" G_GUINT64_FORMAT ",\n",
                          antenna_stall_probe_get_n_ticks (probe->stall_window));
  g_string_append_printf (json, "  \"select_us\": %" G_GINT64_FORMAT ",\n", probe->select_us);
  g_string_append_printf (json, "  \"inspected_us\": %" G_GINT64_FORMAT ",\n", probe->inspected_us);
  g_string_append_printf (json, "  \"selected_size\": %" G_GSIZE_FORMAT ",\n", probe->selected_size);
  g_string_append_printf (json, "  \"save_us\": %" G_GINT64_FORMAT ",\n", probe->save_us);
  g_string_append_printf (json, "  \"saved_us\": %" G_GINT64_FORMAT ",\n", probe->saved_us);
  g_string_append_printf (json, "  \"vm_hwm_kb\": %" G_GUINT64_FORMAT ",\n", hwm_kb);
  g_string_append_printf (json, "  \"vm_rss_kb\": %" G_GUINT64_FORMAT ",\n", rss_kb);
  g_string_append (json, "  \"connections\": [");
  foreach_connection (append_connection, json);
  g_string_append (json, "\n  ]\n}\n");

  if (!g_file_set_contents (probe->path, json->str, json->len, &error))
    g_printerr ("antenna: cannot write the probe report: %s\n", error->message);
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main context's poll function: what the main loop did between waking
 * up and going back to sleep is one iteration's work. Its wall time is a
 * stall as a person sees it; its thread CPU time is the app's own share,
 * which a busy machine does not inflate. */
static int
probe_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  int result;

  if (probe->poll_return_us > 0)
    {
      probe->max_work_us = MAX (probe->max_work_us, g_get_monotonic_time () - probe->poll_return_us);
      probe->max_work_cpu_us = MAX (probe->max_work_cpu_us, thread_cpu_us () - probe->poll_return_cpu_us);
    }

  result = g_poll (fds, n_fds, timeout);

  probe->poll_return_us = g_get_monotonic_time ();
  probe->poll_return_cpu_us = thread_cpu_us ();

  return result;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (probe->paints, now);
  probe->frames_total++;

  /* Our phase handlers run after GTK's (connected after): each one marks
   * the end of its phase. A frame may skip phases (nothing to lay out). */
  if (probe->phase_us[0] > 0 && probe->phase_us[1] > 0 && probe->phase_us[2] > 0 && probe->phase_us[3] > 0)
    {
      gint64 durations[4] = {
        probe->phase_us[1] - probe->phase_us[0],
        probe->phase_us[2] - probe->phase_us[1],
        probe->phase_us[3] - probe->phase_us[2],
        now - probe->phase_us[0],
      };

      for (guint i = 0; i < 4; i++)
        probe->max_phase_us[i] = MAX (probe->max_phase_us[i], durations[i]);
    }
  memset (probe->phase_us, 0, sizeof probe->phase_us);

  if (probe->first_frame_us == 0)
    {
      probe->first_frame_us = now;
      write_report (FALSE);
    }
}

static void
on_phase_cb (GdkFrameClock *clock,
             gpointer       user_data)
{
  probe->phase_us[GPOINTER_TO_UINT (user_data)] = g_get_monotonic_time ();
}

static void
on_realize_cb (GtkWidget *window,
               gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock == NULL || probe->clock != NULL)
    return;

  probe->clock = g_object_ref (clock);
  g_signal_connect_after (clock, "before-paint", G_CALLBACK (on_phase_cb), GUINT_TO_POINTER (0));
  g_signal_connect_after (clock, "update", G_CALLBACK (on_phase_cb), GUINT_TO_POINTER (1));
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_phase_cb), GUINT_TO_POINTER (2));
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_phase_cb), GUINT_TO_POINTER (3));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    gpointer        user_data)
{
  if (probe->window != NULL)
    return;

  probe->window = GTK_WIDGET (window);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize_cb (GTK_WIDGET (window), NULL);
}

static void
find_inspected (AntennaConnection *connection,
                gpointer           user_data)
{
  AntennaMessageInspector *inspector;
  AntennaMessage *message;

  if (connection->page == NULL || !ANTENNA_IS_CONNECTION_PAGE (connection->page))
    return;

  inspector = _antenna_connection_page_get_inspector (ANTENNA_CONNECTION_PAGE (connection->page));
  message = inspector ? antenna_message_inspector_get_message (inspector) : NULL;
  if (message != NULL && !antenna_message_inspector_get_busy (inspector))
    {
      probe->inspected_us = g_get_monotonic_time ();
      probe->selected_size = antenna_message_get_size (message);
    }
}

/* Saved: the file has the payload's size (g_file_replace_contents writes a
 * temporary file and renames it). */
static void
check_saved (void)
{
  g_autoptr(GFileInfo) info = g_file_query_info (probe->save_file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL && (gsize) g_file_info_get_size (info) == probe->selected_size)
    probe->saved_us = g_get_monotonic_time ();
}

static gboolean
on_scan_cb (gpointer user_data)
{
  foreach_connection (watch_connection, NULL);

  if (probe->select_us > 0 && probe->inspected_us == 0)
    foreach_connection (find_inspected, NULL);

  if (probe->save_us > 0 && probe->saved_us == 0)
    check_saved ();

  if (++probe->n_scans % WRITE_EVERY_SCANS == 0)
    write_report (FALSE);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_new_window_signal_cb (gpointer user_data)
{
  g_array_set_size (probe->paints, 0);
  probe->first_message_us = probe->last_message_us = 0;
  probe->max_handlers_us = 0;
  memset (probe->max_phase_us, 0, sizeof probe->max_phase_us);
  probe->max_handlers_batch = 0;
  antenna_stall_probe_reset (probe->stall_window);
  probe->max_work_us = probe->max_work_cpu_us = 0;
  probe->window_start_us = g_get_monotonic_time ();
  probe->n_windows++;
  write_report (FALSE);

  return G_SOURCE_CONTINUE;
}

static void
select_newest (AntennaConnection *connection,
               gpointer           user_data)
{
  AntennaMessageLogView *view;
  guint n;

  if (connection->page == NULL || !ANTENNA_IS_CONNECTION_PAGE (connection->page))
    return;

  view = _antenna_connection_page_get_message_log_view (ANTENNA_CONNECTION_PAGE (connection->page));
  n = g_list_model_get_n_items (G_LIST_MODEL (antenna_message_log_view_get_log (view)));
  if (n > 0)
    antenna_message_log_view_select (view, n - 1);
}

static gboolean
on_select_signal_cb (gpointer user_data)
{
  probe->select_us = g_get_monotonic_time ();
  probe->inspected_us = 0;
  probe->selected_size = 0;
  foreach_connection (select_newest, NULL);

  return G_SOURCE_CONTINUE;
}

static void
save_inspected (AntennaConnection *connection,
                gpointer           user_data)
{
  AntennaMessageInspector *inspector;

  if (connection->page == NULL || !ANTENNA_IS_CONNECTION_PAGE (connection->page))
    return;

  inspector = _antenna_connection_page_get_inspector (ANTENNA_CONNECTION_PAGE (connection->page));
  if (inspector != NULL && antenna_message_inspector_get_message (inspector) != NULL)
    antenna_message_inspector_save_payload_to (inspector, probe->save_file);
}

/* SIGHUP: "Save Payload…" of the inspected message, to ANTENNA_PROBE_SAVE
 * (the file chooser's part left out). */
static gboolean
on_save_signal_cb (gpointer user_data)
{
  if (probe->save_file == NULL)
    return G_SOURCE_CONTINUE;

  probe->save_us = g_get_monotonic_time ();
  probe->saved_us = 0;
  foreach_connection (save_inspected, NULL);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_term_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (probe->app));

  return G_SOURCE_REMOVE;
}

static void
on_shutdown_cb (GApplication *app,
                gpointer      user_data)
{
  write_report (TRUE);
}

gboolean
antenna_frame_probe_start_from_env (GtkApplication *app)
{
  const char *path = g_getenv ("ANTENNA_PROBE");

  g_return_val_if_fail (GTK_IS_APPLICATION (app), FALSE);

  if (probe != NULL || path == NULL || path[0] == '\0')
    return probe != NULL;

  probe = g_new0 (Probe, 1);
  probe->app = app;
  probe->path = g_strdup (path);
  probe->stall_total = antenna_stall_probe_new ();
  probe->stall_window = antenna_stall_probe_new ();
  probe->paints = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (g_getenv ("ANTENNA_PROBE_SAVE") != NULL)
    probe->save_file = g_file_new_for_path (g_getenv ("ANTENNA_PROBE_SAVE"));
  probe->window_start_us = g_get_monotonic_time ();
  if (main_start_us == 0)
    main_start_us = probe->window_start_us;

  /* The signal exists once the class does; the probe keeps it for the process. */
  g_type_class_ref (ANTENNA_TYPE_CLIENT);
  g_signal_add_emission_hook (g_signal_lookup ("messages-received", ANTENNA_TYPE_CLIENT), 0,
                              on_emission_hook_cb, NULL, NULL);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);
  g_signal_connect_after (app, "shutdown", G_CALLBACK (on_shutdown_cb), NULL);
  g_timeout_add (SCAN_INTERVAL_MS, on_scan_cb, NULL);
  g_main_context_set_poll_func (g_main_context_default (), probe_poll);
  g_unix_signal_add (SIGUSR1, on_new_window_signal_cb, NULL);
  g_unix_signal_add (SIGUSR2, on_select_signal_cb, NULL);
  g_unix_signal_add (SIGHUP, on_save_signal_cb, NULL);
  g_unix_signal_add (SIGTERM, on_term_signal_cb, NULL);

  return TRUE;
}
