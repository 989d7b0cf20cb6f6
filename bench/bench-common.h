/* bench-common.h: the message counter the benchmark subscribers share, medians
 *
 * Every payload starts with its sequence number in 10 ASCII digits (see
 * bench-pub.c); the counter marks each number seen, so a subscriber reports
 * exactly how many distinct messages it got, how many twice, and how many
 * malformed, not only how many callbacks ran.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  expected;
  gint64  size;          /* every payload must have this size; -1: any */
  guint8 *seen;          /* one byte per sequence number */

  gint64  received;      /* every message, read by other threads with __atomic_load_n */
  gint64  unique;
  gint64  dups;
  gint64  bad;           /* no sequence number, one out of range, or the wrong size */
  gint64  bytes;

  /* g_get_real_time() microseconds. */
  gint64  start_us;      /* before connecting */
  gint64  connected_us;  /* CONNACK */
  gint64  ready_us;      /* subscribed (live) or connected (drain) */
  gint64  first_us;      /* first message */
  gint64  last_us;       /* last message */
} BenchCounter;

static inline void
bench_counter_init (BenchCounter *c,
                    gint64        expected,
                    gint64        size)
{
  memset (c, 0, sizeof *c);
  c->expected = expected;
  c->size = size;
  c->seen = g_malloc0 (MAX (expected, 1));
}

static inline void
bench_counter_clear (BenchCounter *c)
{
  g_clear_pointer (&c->seen, g_free);
}

/* Counts one message. Returns TRUE once: for the message that completes the set. */
static inline gboolean
bench_counter_add (BenchCounter *c,
                   const void   *payload,
                   gsize         len)
{
  const guint8 *p = payload;
  gint64 now = g_get_real_time ();
  gint64 seq = 0;
  gsize i;

  if (c->received == 0)
    c->first_us = now;
  c->last_us = now;
  __atomic_store_n (&c->received, c->received + 1, __ATOMIC_RELAXED);
  c->bytes += len;

  if (len < 10 || (c->size >= 0 && (gint64) len != c->size))
    {
      c->bad++;
      return FALSE;
    }
  for (i = 0; i < 10; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        {
          c->bad++;
          return FALSE;
        }
      seq = seq * 10 + (p[i] - '0');
    }
  if (seq >= c->expected)
    {
      c->bad++;
      return FALSE;
    }
  if (c->seen[seq])
    {
      c->dups++;
      return FALSE;
    }
  c->seen[seq] = 1;
  c->unique++;
  return c->unique == c->expected;
}

static inline gboolean
bench_counter_done (BenchCounter *c)
{
  return c->unique == c->expected;
}

static inline void
bench_counter_print (BenchCounter *c,
                     const char   *client,
                     FILE         *out)
{
  double from_first = c->last_us > c->first_us ? (c->last_us - c->first_us) / 1e6 : 0;
  double from_ready = c->last_us > c->ready_us ? (c->last_us - c->ready_us) / 1e6 : 0;
  double from_start = c->last_us > c->start_us ? (c->last_us - c->start_us) / 1e6 : 0;

  fprintf (out,
           "RESULT client=%s expected=%" G_GINT64_FORMAT " received=%" G_GINT64_FORMAT
           " unique=%" G_GINT64_FORMAT " dups=%" G_GINT64_FORMAT " bad=%" G_GINT64_FORMAT
           " bytes=%" G_GINT64_FORMAT " start_us=%" G_GINT64_FORMAT " connected_us=%" G_GINT64_FORMAT
           " ready_us=%" G_GINT64_FORMAT " first_us=%" G_GINT64_FORMAT " last_us=%" G_GINT64_FORMAT
           " first_to_last_s=%.6f ready_to_last_s=%.6f start_to_last_s=%.6f rate_from_first=%.0f\n",
           client, c->expected, c->received, c->unique, c->dups, c->bad, c->bytes,
           c->start_us, c->connected_us, c->ready_us, c->first_us, c->last_us,
           from_first, from_ready, from_start,
           from_first > 0 ? (c->received - 1) / from_first : 0.0);
  fflush (out);
}

static inline int
bench_compare_doubles (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of @values (doubles, sorted in place); 0 when there are none. */
static inline double
bench_median (GArray *values)
{
  g_array_sort (values, bench_compare_doubles);
  return values->len == 0 ? 0 : g_array_index (values, double, values->len / 2);
}

/* The options of the subscribers that bench/run compares side by side
 * (bench-paho, bench-antenna): the same names and defaults for both. */
typedef struct
{
  char     *host;           /* 127.0.0.1 */
  int       port;
  int       qos;
  gint64    count;          /* messages expected */
  char     *client_id;      /* NULL: the program's name and pid */
  gboolean  persistent;
  gboolean  setup;
  int       version;        /* 4 (3.1.1) or 5 */
  char     *filter;         /* bench/t/# */
  gint64    size;           /* -1: any */
  int       idle_timeout;   /* seconds */
  gboolean  trace_error;
} BenchSubscriberOptions;

/* Parses the command line into @o and unsets the proxy variables (Paho
 * applies http_proxy to plain TCP too). Says why on stderr and returns
 * FALSE when it cannot: exit with status 2. */
static inline gboolean
bench_subscriber_options_parse (BenchSubscriberOptions  *o,
                                const char              *program,
                                const char              *summary,
                                int                     *argc,
                                char                  ***argv)
{
  GOptionEntry entries[] = {
    { "host", 'H', 0, G_OPTION_ARG_STRING, &o->host, "Broker host (127.0.0.1)", "HOST" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &o->port, "Broker port (1883)", "PORT" },
    { "qos", 'q', 0, G_OPTION_ARG_INT, &o->qos, "Subscription QoS (0)", "QOS" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &o->count, "Messages expected (200000)", "N" },
    { "id", 'i', 0, G_OPTION_ARG_STRING, &o->client_id, "Client id", "ID" },
    { "persistent", 'c', 0, G_OPTION_ARG_NONE, &o->persistent, "Persistent session (clean start, or clean session, off)", NULL },
    { "setup", 0, 0, G_OPTION_ARG_NONE, &o->setup, "Connect, subscribe and disconnect", NULL },
    { "mqtt-version", 'V', 0, G_OPTION_ARG_INT, &o->version, "4 (3.1.1) or 5 (4)", "V" },
    { "filter", 't', 0, G_OPTION_ARG_STRING, &o->filter, "Topic filter (bench/t/#)", "FILTER" },
    { "size", 's', 0, G_OPTION_ARG_INT64, &o->size, "Check that every payload has this size", "BYTES" },
    { "idle-timeout", 'T', 0, G_OPTION_ARG_INT, &o->idle_timeout, "Give up after this many seconds without a message (10)", "S" },
    { "trace-error", 0, 0, G_OPTION_ARG_NONE, &o->trace_error,
      "MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR) before the client starts (process-wide): no in-memory trace of every call", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(GError) error = NULL;

  *o = (BenchSubscriberOptions) { .port = 1883, .count = 200000, .version = 4, .size = -1, .idle_timeout = 10 };
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s: %s\n", program, error->message);
      return FALSE;
    }
  if (o->version != 4 && o->version != 5)
    {
      fprintf (stderr, "%s: --mqtt-version is 4 or 5\n", program);
      return FALSE;
    }
  if (o->host == NULL)
    o->host = g_strdup ("127.0.0.1");
  if (o->filter == NULL)
    o->filter = g_strdup ("bench/t/#");

  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  return TRUE;
}

/* One line with the CPU time of each thread of this process so far, from
 * /proc: "THREADS main=0.52 MQTTAsync_rcv=1.61 …" (user+sys seconds). */
static inline void
bench_print_threads (FILE *out)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  long ticks = sysconf (_SC_CLK_TCK);

  if (dir == NULL)
    return;
  fputs ("THREADS", out);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stat_path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *stat = NULL;
      g_autofree char *comm = NULL;
      g_auto(GStrv) fields = NULL;
      const char *rest;

      if (!g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          !g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      g_strstrip (comm);
      g_strdelimit (comm, " =", '_');
      /* Fields after the ")" that closes the name: state is field 3, utime 14, stime 15. */
      rest = strrchr (stat, ')');
      if (rest == NULL)
        continue;
      fields = g_strsplit (rest + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        continue;
      fprintf (out, " %s=%.2f", comm,
               (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / ticks);
    }
  fputc ('\n', out);
  fflush (out);
}

G_END_DECLS
