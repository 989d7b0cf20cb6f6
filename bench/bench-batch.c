/* bench-batch.c: how long the main loop stops while a batch file with a 64 MiB line is checked
 *
 *   build/bench/bench-batch [--size-mib N] [--runs N]
 *
 * Writes a JSON Lines file of 10,000 small messages with one of N MiB
 * (Base64, 64 by default) in the middle and an invalid last line, so that
 * AntennaPublishBatch's check pass reads every line and ends before sending
 * (no broker is needed). A 10 ms probe (antenna-stall-probe.h) records the
 * longest the main loop was busy. The reference, in the same run: the same
 * line parsed on the main thread, as the batch did before its reading moved
 * to a thread (JSON, then Base64). Prints the medians of the runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-profile.h"
#include "antenna-publish-batch.h"
#include "antenna-stall-probe.h"

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
median (GArray *values)
{
  g_array_sort (values, compare_int64);
  return g_array_index (values, gint64, values->len / 2);
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  /* the invalid last line: the check ends, nothing is sent */
  if (antenna_publish_batch_run_finish (ANTENNA_PUBLISH_BATCH (object), result, &error) ||
      !g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD))
    g_error ("the check should have found the invalid line: %s", error != NULL ? error->message : "it passed");
  *done = TRUE;
}

/* The longest stall while the batch checks @path, in microseconds. */
static gint64
stall_of_batch (AntennaClient *client,
                GFile         *file)
{
  g_autoptr(AntennaPublishBatch) batch = antenna_publish_batch_new (client, file);
  g_autoptr(AntennaStallProbe) probe = antenna_stall_probe_new ();
  gboolean done = FALSE;

  antenna_publish_batch_run_async (batch, NULL, on_run_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return antenna_stall_probe_get_max_stall (probe);
}

/* The longest stall while @line is parsed on the main thread, as before. */
static gint64
stall_of_inline_parse (const char *line)
{
  g_autoptr(AntennaStallProbe) probe = antenna_stall_probe_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  gboolean parsed = FALSE;

  /* let the probe tick once, then block the loop with the work */
  while (antenna_stall_probe_get_n_ticks (probe) < 2)
    g_main_context_iteration (NULL, TRUE);
  root = antenna_payload_parse_json (line, strlen (line), &error);
  g_assert_no_error (error);
  payload = antenna_payload_decode (json_object_get_string_member (json_node_get_object (root), "payload_base64"),
                                    -1, ANTENNA_PAYLOAD_FORMAT_BASE64, &error);
  g_assert_no_error (error);
  parsed = payload != NULL;
  while (antenna_stall_probe_get_n_ticks (probe) < 4)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (parsed);
  return antenna_stall_probe_get_max_stall (probe);
}

int
main (int   argc,
      char *argv[])
{
  int size_mib = 64;
  int runs = 5;
  GOptionEntry entries[] = {
    { "size-mib", 0, 0, G_OPTION_ARG_INT, &size_mib, "The large payload, in MiB", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs (medians are printed)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- main-loop stalls of a batch file's check");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *big_line = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GArray) batch_stalls = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) inline_stalls = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  {
    gsize size = (gsize) size_mib * 1024 * 1024;
    guint8 *data = g_malloc (size);
    g_autofree char *b64 = NULL;

    for (gsize i = 0; i < size; i++)
      data[i] = (guint8) (i * 2654435761u >> 13);
    b64 = g_base64_encode (data, size);
    g_free (data);
    big_line = g_strdup_printf ("{\"topic\": \"bench/big\", \"payload_base64\": \"%s\", \"qos\": 1}", b64);
  }
  for (guint i = 1; i <= 10000; i++)
    {
      if (i == 5000)
        g_string_append_printf (text, "%s\n", big_line);
      else
        g_string_append_printf (text, "{\"topic\": \"bench/%u\", \"payload\": \"%u\", \"qos\": 1}\n", i, i);
    }
  g_string_append (text, "not a message\n");

  dir = g_dir_make_tmp ("antenna-bench-batch-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "batch.jsonl", NULL);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  antenna_profile_set_host (profile, "127.0.0.1");
  client = antenna_client_new (profile);

  for (int run = 0; run < runs; run++)
    {
      gint64 batch = stall_of_batch (client, file);
      gint64 inline_parse = stall_of_inline_parse (big_line);

      g_array_append_val (batch_stalls, batch);
      g_array_append_val (inline_stalls, inline_parse);
      g_print ("run %d: batch check %.1f ms, the line parsed on the main loop %.1f ms\n",
               run + 1, batch / 1000.0, inline_parse / 1000.0);
    }

  {
    gint64 batch = median (batch_stalls);
    gint64 inline_parse = median (inline_stalls);

    g_print ("median of %d runs, %d MiB line: longest main-loop stall %.1f ms during the batch check "
             "(reading in a thread), %.1f ms for the same line parsed on the main loop (before); ratio %.3f\n",
             runs, size_mib, batch / 1000.0, inline_parse / 1000.0,
             inline_parse > 0 ? (double) batch / inline_parse : 0);
  }

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
