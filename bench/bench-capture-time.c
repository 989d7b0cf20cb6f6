/* bench-capture-time.c: should a capture have an index on time?
 *
 *   bench-capture-time [--count N] [--runs R]
 *
 * Writes a capture of N messages (1,000,000; 64 bytes, 10,000 topics, 10 µs
 * apart, as bench-capture's open case) through AntennaCapture, copies it and
 * adds CREATE INDEX messages_time ON messages (time) to the copy, then on
 * each file, through AntennaCaptureReader as the capture window reads:
 * - count: the messages of a time range of 1% in the middle of the capture;
 * - page: the first page of 200 in that range (what a window needs first);
 * - walk: every message of that range (what an export of it reads);
 * medians of R runs, with SQLite's plan for the page. Then what the index
 * costs the writer: 200,000 more rows inserted in transactions of 1,000 into
 * each file with plain SQL (the writer thread's statement), and the sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-capture-time"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "antenna-capture.h"
#include "antenna-capture-reader.h"
#include "antenna-message.h"

#include "bench-capture-common.h"
#include "bench-common.h"

#define EXTRA_ROWS 200000

static gint64 opt_count = 1000000;
static int    opt_runs = 5;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages in the capture (1000000)", "N" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each query (5)", "R" },
  { NULL }
};

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
print_plan (const char *path,
            gint64      from,
            gint64      to)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT * FROM messages"
                              " WHERE id > 0 AND time >= ?1 AND time <= ?2 ORDER BY id LIMIT 200",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("#   plan: %s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
count_cb (gint64          id,
          AntennaMessage *message,
          const char     *subscription,
          gpointer        user_data)
{
  (*(gint64 *) user_data)++;
  return TRUE;
}

static void
measure_queries (const char *label,
                 const char *path,
                 gint64      from,
                 gint64      to,
                 gint64      expected)
{
  g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) walk_ms = g_array_new (FALSE, FALSE, sizeof (double));
  AntennaCaptureQuery query;

  antenna_capture_query_init (&query);
  query.time_from = from;
  query.time_to = to;

  for (int run = 0; run < opt_runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (path, &error);
      g_autoptr(GPtrArray) page = NULL;
      AntennaCaptureCursor cursor;
      gint64 start, n, walked = 0;
      double ms;

      if (reader == NULL)
        g_error ("%s", error->message);

      start = g_get_monotonic_time ();
      n = antenna_capture_reader_count (reader, &query, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (count_ms, ms);
      if (n != expected)
        g_error ("count %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " expected", n, expected);

      antenna_capture_cursor_init (&cursor);
      start = g_get_monotonic_time ();
      page = antenna_capture_reader_read_page (reader, &query, &cursor, 200, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (page_ms, ms);
      if (page == NULL || page->len != 200)
        g_error ("first page: %s", error != NULL ? error->message : "short");

      start = g_get_monotonic_time ();
      if (!antenna_capture_reader_foreach (reader, &query, count_cb, &walked, NULL, &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (walk_ms, ms);
      if (walked != expected)
        g_error ("walked %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " expected", walked, expected);
    }

  printf ("%-10s count %8.1f ms   first page %8.1f ms   walk %8.1f ms   (medians of %d)\n",
          label, bench_median (count_ms), bench_median (page_ms), bench_median (walk_ms), opt_runs);
  print_plan (path, from, to);
}

static double
insert_rows (const char *path,
             gint64      t0)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  char payload[64];

  memset (payload, 'x', sizeof payload);
  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  /* As the writer thread sets its connection up. */
  exec_or_die (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  if (sqlite3_prepare_v2 (db, "INSERT INTO messages (time, direction, topic, payload, qos, retain, dup,"
                              " properties, subscription, size) VALUES (?1, 0, ?2, ?3, 0, 0, 0, NULL, NULL, 64)",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));

  start = g_get_monotonic_time ();
  for (gint64 i = 0; i < EXTRA_ROWS; i++)
    {
      char topic[32];

      if (i % 1000 == 0)
        exec_or_die (db, "BEGIN");
      g_snprintf (topic, sizeof topic, "bench/t/%" G_GINT64_FORMAT, i % 10000);
      sqlite3_bind_int64 (stmt, 1, t0 + (opt_count + i) * 10);
      sqlite3_bind_text (stmt, 2, topic, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 3, payload, sizeof payload, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
      if (i % 1000 == 999)
        exec_or_die (db, "COMMIT");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return EXTRA_ROWS / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / 1e6 : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a capture's time range with and without an index");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *indexed = NULL;
  gint64 t0 = g_get_real_time ();
  gint64 from, to, start;
  double index_s, plain_rate, indexed_rate;
  sqlite3 *db = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-capture-time: %s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("antenna-bench-time-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  plain = g_build_filename (dir, "plain" ANTENNA_CAPTURE_SUFFIX, NULL);
  indexed = g_build_filename (dir, "indexed" ANTENNA_CAPTURE_SUFFIX, NULL);

  start = g_get_monotonic_time ();
  bench_write_capture (plain, opt_count, 10000, t0);
  printf ("# a capture of %" G_GINT64_FORMAT " messages written in %.1f s (%.0f MB)\n", opt_count,
          (g_get_monotonic_time () - start) / 1e6, file_mb (plain));
  {
    g_autoptr(GFile) source = g_file_new_for_path (plain);
    g_autoptr(GFile) copy = g_file_new_for_path (indexed);

    if (!g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
      g_error ("%s", error->message);
  }
  sqlite3_open (indexed, &db);
  start = g_get_monotonic_time ();
  exec_or_die (db, "CREATE INDEX messages_time ON messages (time)");
  index_s = (g_get_monotonic_time () - start) / 1e6;
  sqlite3_close (db);
  printf ("# the index built in %.1f s; files %.0f MB without, %.0f MB with it\n",
          index_s, file_mb (plain), file_mb (indexed));

  /* 1% in the middle. */
  from = t0 + (opt_count / 2) * 10;
  to = from + (opt_count / 100) * 10 - 1;
  printf ("# a time range of %" G_GINT64_FORMAT " messages in the middle\n", opt_count / 100);
  measure_queries ("no index", plain, from, to, opt_count / 100);
  measure_queries ("index", indexed, from, to, opt_count / 100);
  /* The first 1%: a scan stops early there. */
  printf ("# the first %" G_GINT64_FORMAT " messages\n", opt_count / 100);
  measure_queries ("no index", plain, t0, t0 + (opt_count / 100) * 10 - 1, opt_count / 100);
  measure_queries ("index", indexed, t0, t0 + (opt_count / 100) * 10 - 1, opt_count / 100);

  plain_rate = insert_rows (plain, t0);
  indexed_rate = insert_rows (indexed, t0);
  printf ("# the writer's statement, %d rows in transactions of 1,000:\n", EXTRA_ROWS);
  printf ("no index   %9.0f rows/s\nindex      %9.0f rows/s   (ratio %.2f)\n",
          plain_rate, indexed_rate, indexed_rate / plain_rate);

  g_unlink (plain);
  g_unlink (indexed);
  {
    g_autofree char *wal = g_strconcat (plain, "-wal", NULL);
    g_autofree char *shm = g_strconcat (plain, "-shm", NULL);
    g_autofree char *iwal = g_strconcat (indexed, "-wal", NULL);
    g_autofree char *ishm = g_strconcat (indexed, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (iwal);
    g_unlink (ishm);
  }
  g_rmdir (dir);
  return 0;
}
