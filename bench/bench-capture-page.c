/* bench-capture-page.c: how soon a large capture shows as a page of the main window
 *
 *   bench-capture-page --write FILE [--count N]
 *   bench-capture-page --capture FILE [--runs R] [--search TEXT]   (under a display: xvfb-run -a)
 *
 * The first writes a capture of N messages (1,000,000; 64 bytes over 10,000
 * topics); the second (a process of its own, so that its peak RSS is the
 * page's) opens it R times as a page of an AntennaWindow, as File › Open
 * Capture… does, and reports, as medians: the time from the call to the
 * first frame painted with messages in the log, the time until the whole
 * capture went through the tree (loading ends), the time a search of TEXT
 * over the whole capture takes until its results are loaded, and the
 * process's peak RSS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-capture-page"

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "antenna-capture.h"
#include "antenna-capture-page.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-profile-store.h"
#include "antenna-renderer.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-window.h"

#include "bench-capture-common.h"
#include "bench-common.h"

static gint64 opt_count = 1000000;
static int    opt_runs = 3;
static char  *opt_write = NULL;
static char  *opt_capture = NULL;
static char  *opt_search = NULL;

static gint64 n_total_last;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages in the capture (1000000)", "N" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Runs (3)", "R" },
  { "write", 0, 0, G_OPTION_ARG_FILENAME, &opt_write, "Write a capture here and exit", "FILE" },
  { "capture", 0, 0, G_OPTION_ARG_FILENAME, &opt_capture, "The capture to open", "FILE" },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search, "Then search the whole capture for this", "TEXT" },
  { NULL }
};

typedef struct
{
  AntennaCapturePage   *page;
  gint64                start;
  gint64                first_frame;
} Run;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Run           *run)
{
  if (run->first_frame == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (antenna_capture_page_get_message_log (run->page))) > 0)
    run->first_frame = g_get_monotonic_time ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a large capture as a page of the main window");
  g_autoptr(GError) error = NULL;
  const char *path;
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *config = g_dir_make_tmp ("antenna-bench-XXXXXX", NULL);
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaSecretStore) secrets = NULL;
  g_autoptr(AntennaSettings) settings = NULL;
  g_autoptr(GFile) file = NULL;
  guint64 n_found = 0;
  struct rusage usage;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_write != NULL)
    {
      bench_write_capture (opt_write, opt_count, 10000, g_get_real_time ());
      return 0;
    }
  if (opt_capture == NULL)
    {
      g_printerr ("--write FILE or --capture FILE\n");
      return 2;
    }
  path = opt_capture;
  file = g_file_new_for_path (path);
  /* No profiles of the person running it: an empty configuration. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  /* The renderer the app would draw with on this display, chosen as
   * antenna_application_startup() does: without it, GL on Mesa's llvmpipe
   * under Xvfb, which the app never uses there and which alone took some
   * 60 MB of the peak RSS and half the loading speed (bench/README.md). */
  antenna_renderer_choose (gdk_display_get_default ());
  printf ("GSK_RENDERER=%s\n", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(GTK's default)");
  store = antenna_profile_store_new (NULL);
  secrets = antenna_secret_store_new ();
  settings = antenna_settings_new ();

  for (int r = 0; r < opt_runs; r++)
    {
      Run run = { 0, };
      GdkFrameClock *clock;
      AntennaWindow *window;
      double first_ms, all_s;
      gint64 made, first_read = 0;

      window = g_object_new (ANTENNA_TYPE_WINDOW, "profile-store", store, "secret-store", secrets,
                             "settings", settings, NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
      gtk_window_present (GTK_WINDOW (window));
      while (!gtk_widget_get_realized (GTK_WIDGET (window)))
        g_main_context_iteration (NULL, TRUE);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &run);

      run.start = g_get_monotonic_time ();
      run.page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (window, file));
      if (run.page == NULL)
        g_error ("could not open %s", path);
      made = g_get_monotonic_time ();

      while (run.first_frame == 0 || antenna_capture_page_get_loading (run.page))
        {
          g_main_context_iteration (NULL, TRUE);
          if (first_read == 0 && antenna_capture_page_get_n_loaded (run.page) > 0)
            first_read = g_get_monotonic_time ();
        }

      n_total_last = antenna_capture_page_get_n_total (run.page);
      first_ms = (run.first_frame - run.start) / 1000.0;
      all_s = (g_get_monotonic_time () - run.start) / (double) G_USEC_PER_SEC;
      g_array_append_val (first, first_ms);
      g_array_append_val (all, all_s);
      /* Where the first frame's time goes: the page made (file checked,
       * widgets built), the first page of messages read and handed to the
       * models, then the frame that shows them. */
      printf ("run %d: first frame with messages %.0f ms (page made %.0f ms, first messages in %.0f ms), "
              "whole capture through the tree %.1f s",
              r + 1, first_ms, (made - run.start) / 1000.0, (first_read - run.start) / 1000.0, all_s);

      if (opt_search != NULL)
        {
          gint64 start = g_get_monotonic_time ();
          double search_s;

          antenna_capture_page_set_search (run.page, opt_search);
          while (antenna_capture_page_get_loading (run.page))
            g_main_context_iteration (NULL, TRUE);
          search_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
          n_found = antenna_capture_page_get_n_loaded (run.page);
          g_array_append_val (search, search_s);
          printf (", search of “%s”: %" G_GUINT64_FORMAT " found in %.2f s", opt_search, n_found, search_s);
        }
      printf ("\n");
      g_signal_handlers_disconnect_by_data (clock, &run);
      gtk_window_destroy (GTK_WINDOW (window));
      for (int i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("\n%" G_GINT64_FORMAT " messages: first frame with messages %.0f ms (median), "
          "whole capture loaded %.1f s (median), peak RSS %ld MB\n",
          n_total_last, bench_median (first), bench_median (all), usage.ru_maxrss / 1024);
  if (search->len > 0)
    printf ("search of “%s” over the whole capture: %" G_GUINT64_FORMAT " found in %.2f s (median)\n",
            opt_search, n_found, bench_median (search));
  g_rmdir (config);
  return 0;
}
