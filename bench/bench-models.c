/* bench-models.c: the per-message cost of the connection page's models
 *
 * Feeds AntennaTopicTree and AntennaMessageLog the way the connection page
 * does: batches as messages-received delivers them, a flush after each batch
 * (the UI flushes once per frame, so this is the worst case). Prints the
 * rate of each model (in CPU time of the main thread), the cost of a flush
 * and the peak RSS. The messages are made outside the models' phases; the
 * models pay for freeing those they evict.
 *
 *   bench-models [--messages 1000000] [--topics 10000] [--batch 500]
 *                [--history 100] [--log-limit 10000] [--payload 64] [--watch]
 *
 * --watch connects what a visible UI would: items-changed on the tree's root
 * and on the log, notify on the root's nodes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-bench-models"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-topic-tree.h"

/* CPU time of this thread: what the main loop would spend, without the time
 * other processes on a busy machine take from it. */
static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* A line of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1. */
static gint64
proc_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  gsize field_len = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  for (char *line = status; line != NULL && *line != '\0'; )
    {
      char *next = strchr (line, '\n');

      if (strncmp (line, field, field_len) == 0 && line[field_len] == ':')
        return g_ascii_strtoll (line + field_len + 1, NULL, 10);
      line = next != NULL ? next + 1 : NULL;
    }

  return -1;
}

static guint64 n_items_changed;
static guint64 n_notify;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  n_items_changed++;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  n_notify++;
}

typedef struct
{
  gint64 total_ns;
  gint64 max_ns;
} Timer;

static void
timer_add (Timer  *timer,
           gint64  ns)
{
  timer->total_ns += ns;
  timer->max_ns = MAX (timer->max_ns, ns);
}

int
main (int   argc,
      char *argv[])
{
  int n_messages = 1000000;
  int n_topics = 10000;
  int batch_size = 500;
  int history = ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT;
  int log_limit = ANTENNA_MESSAGE_LOG_DEFAULT_LIMIT;
  int payload_size = 64;
  gboolean watch = FALSE;
  GOptionEntry entries[] = {
    { "messages", 0, 0, G_OPTION_ARG_INT, &n_messages, "Messages to feed", "N" },
    { "topics", 0, 0, G_OPTION_ARG_INT, &n_topics, "Distinct topics", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch_size, "Messages per batch (one flush each)", "N" },
    { "history", 0, 0, G_OPTION_ARG_INT, &history, "The tree's history limit per topic", "N" },
    { "log-limit", 0, 0, G_OPTION_ARG_INT, &log_limit, "The log's limit", "N" },
    { "payload", 0, 0, G_OPTION_ARG_INT, &payload_size, "Payload size in bytes", "N" },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch, "Connect handlers like a visible UI", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the cost of the topic tree and the message log");
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTopicTree) tree = NULL;
  g_autoptr(AntennaMessageLog) log = NULL;
  g_autoptr(GPtrArray) topics = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree char *payload = NULL;
  Timer create = { 0 }, tree_add = { 0 }, tree_flush = { 0 }, log_add = { 0 }, log_flush = { 0 };
  gint64 rss_start;
  guint n_batches = 0;
  double seconds;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_messages <= 0 || n_topics <= 0 || batch_size <= 0 || history < 0 ||
      log_limit <= 0 || payload_size < 0)
    {
      g_printerr ("Every number must be positive.\n");
      return 2;
    }

  /* Topics four levels deep: bench/<site>/<device>/<sensor>. */
  topics = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n_topics; i++)
    g_ptr_array_add (topics, g_strdup_printf ("bench/site%u/device%u/sensor%u",
                                              i / 1000, (i / 10) % 100, i % 10));
  payload = g_malloc (payload_size + 1);
  memset (payload, 'x', payload_size);

  tree = antenna_topic_tree_new (history);
  log = antenna_message_log_new (log_limit);
  rss_start = proc_status_kib ("VmRSS");

  if (watch)
    {
      g_signal_connect (antenna_topic_tree_get_root (tree), "items-changed",
                        G_CALLBACK (on_items_changed_cb), NULL);
      g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed_cb), NULL);
      g_signal_connect (tree, "notify", G_CALLBACK (on_notify_cb), NULL);
      g_signal_connect (log, "notify", G_CALLBACK (on_notify_cb), NULL);
    }

  for (int sent = 0; sent < n_messages; sent += batch_size)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_full (batch_size, g_object_unref);
      int n = MIN (batch_size, n_messages - sent);
      gint64 t0, t1, t2, t3, t4, t5;

      /* What the client does per message (outside the models' cost). */
      t0 = now_ns ();
      for (int i = 0; i < n; i++)
        {
          const char *topic = g_ptr_array_index (topics, g_rand_int_range (rand, 0, n_topics));
          GBytes *bytes = g_bytes_new (payload, payload_size);

          g_ptr_array_add (batch, antenna_message_new (topic, bytes, 0, FALSE, FALSE,
                                                       ANTENNA_MESSAGE_RECEIVED,
                                                       g_get_real_time (), NULL));
          g_bytes_unref (bytes);
        }

      t1 = now_ns ();
      antenna_topic_tree_add_messages (tree, batch);
      t2 = now_ns ();
      antenna_topic_tree_flush (tree);
      t3 = now_ns ();
      antenna_message_log_add_messages (log, batch);
      t4 = now_ns ();
      antenna_message_log_flush (log);
      t5 = now_ns ();

      timer_add (&create, t1 - t0);
      timer_add (&tree_add, t2 - t1);
      timer_add (&tree_flush, t3 - t2);
      timer_add (&log_add, t4 - t3);
      timer_add (&log_flush, t5 - t4);
      n_batches++;

      /* A visible UI watches the top level's nodes once they exist. */
      if (watch && n_batches == 1)
        {
          GListModel *root = antenna_topic_tree_get_root (tree);

          for (guint i = 0; i < g_list_model_get_n_items (root); i++)
            {
              g_autoptr(AntennaTopicNode) node = g_list_model_get_item (root, i);
              g_signal_connect (node, "notify", G_CALLBACK (on_notify_cb), NULL);
            }
        }
    }

  g_assert (antenna_topic_tree_get_total_count (tree) == (guint64) n_messages);
  g_assert (antenna_message_log_get_total_count (log) == (guint64) n_messages);

#define RATE(timer) ((timer).total_ns > 0 ? n_messages / ((timer).total_ns / 1e9) : 0)
#define NS_PER_MESSAGE(timer) ((double) (timer).total_ns / n_messages)
  printf ("messages %d, topics %d (seen %u), batch %d (%u flushes), history %d, log limit %d, payload %d B%s\n",
          n_messages, n_topics, antenna_topic_tree_get_n_topics (tree), batch_size, n_batches,
          history, log_limit, payload_size, watch ? ", watched" : "");
  printf ("%-24s %14s %12s %16s %16s\n", "phase", "messages/s", "ns/message", "mean/flush (µs)", "max/flush (µs)");
  printf ("%-24s %14.0f %12.1f %16.1f %16.1f\n", "create (client side)", RATE (create), NS_PER_MESSAGE (create),
          create.total_ns / 1e3 / n_batches, create.max_ns / 1e3);
  printf ("%-24s %14.0f %12.1f %16.1f %16.1f\n", "tree add", RATE (tree_add), NS_PER_MESSAGE (tree_add),
          tree_add.total_ns / 1e3 / n_batches, tree_add.max_ns / 1e3);
  printf ("%-24s %14.0f %12.1f %16.1f %16.1f\n", "tree flush", RATE (tree_flush), NS_PER_MESSAGE (tree_flush),
          tree_flush.total_ns / 1e3 / n_batches, tree_flush.max_ns / 1e3);
  printf ("%-24s %14.0f %12.1f %16.1f %16.1f\n", "log add", RATE (log_add), NS_PER_MESSAGE (log_add),
          log_add.total_ns / 1e3 / n_batches, log_add.max_ns / 1e3);
  printf ("%-24s %14.0f %12.1f %16.1f %16.1f\n", "log flush", RATE (log_flush), NS_PER_MESSAGE (log_flush),
          log_flush.total_ns / 1e3 / n_batches, log_flush.max_ns / 1e3);

  seconds = (tree_add.total_ns + tree_flush.total_ns + log_add.total_ns + log_flush.total_ns) / 1e9;
  printf ("%-24s %14.0f %12.1f\n", "tree + log, with flushes", n_messages / seconds, seconds * 1e9 / n_messages);
  if (watch)
    printf ("emissions: %" G_GUINT64_FORMAT " items-changed, %" G_GUINT64_FORMAT " notify\n",
            n_items_changed, n_notify);
  printf ("RSS: %" G_GINT64_FORMAT " KiB at start, %" G_GINT64_FORMAT " KiB now, peak (VmHWM) %" G_GINT64_FORMAT " KiB\n",
          rss_start, proc_status_kib ("VmRSS"), proc_status_kib ("VmHWM"));

  return 0;
}
