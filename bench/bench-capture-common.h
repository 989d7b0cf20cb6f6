/* bench-capture-common.h: what the capture benchmarks share
 *
 * bench-capture, bench-capture-time and bench-capture-page write the same
 * synthetic capture, so that their figures (bench/README.md) are about the
 * same file, and wait for async results the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-capture.h"
#include "antenna-message.h"

G_BEGIN_DECLS

/* A GAsyncReadyCallback that keeps the result in *@user_data (a GAsyncResult *). */
static inline void
bench_store_result (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main context until bench_store_result() has stored *@result. */
static inline void
bench_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* A new capture at @path of @count received messages, 10 µs apart from
 * @t0 (µs), on @n_topics topics bench/t/N in turn, each 64 bytes: its
 * sequence number in 10 digits, then "x"s. Appended in batches of 1,000,
 * as a recording appends a connection's batches. */
static inline void
bench_write_capture (const char *path,
                     gint64      count,
                     gint64      n_topics,
                     gint64      t0)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (path, 0, &error);
  g_autoptr(GAsyncResult) result = NULL;

  if (capture == NULL)
    g_error ("%s", error->message);
  for (gint64 i = 0; i < count; i += 1000)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (gint64 j = i; j < MIN (i + 1000, count); j++)
        {
          g_autofree char *topic = g_strdup_printf ("bench/t/%" G_GINT64_FORMAT, j % n_topics);
          char *text = g_strdup_printf ("%010" G_GINT64_FORMAT "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", j);

          g_ptr_array_add (batch, antenna_message_new (topic, g_bytes_new_take (text, 64), 0, FALSE, FALSE,
                                                       ANTENNA_MESSAGE_RECEIVED, t0 + j * 10, NULL));
        }
      antenna_capture_append_batch (capture, batch);
      g_main_context_iteration (NULL, FALSE);
    }
  antenna_capture_stop_async (capture, NULL, bench_store_result, &result);
  bench_wait_result (&result);
  if (!antenna_capture_stop_finish (capture, result, &error))
    g_error ("%s", error->message);
}

G_END_DECLS
