/* test-ui-capture.c: a capture as a page of the main window, under Xvfb
 *
 * The real AntennaWindow, and captures written by the real writer: opened
 * (by antenna_window_open_capture() as antenna FILE does, by File › Open
 * Capture… and by a drop), once each however often; the topic tree and the
 * log of the whole capture or of a time range, the search over the whole
 * capture, the inspector's history, chart, diff and decoders, the tree's
 * recorded times and menus without a connection's actions, Export… and
 * Replay… into a connection to a real mosquitto; Close.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "antenna-capture.h"
#include "antenna-capture-export.h"
#include "antenna-export-bar.h"
#include "antenna-capture-page.h"
#include "antenna-client.h"
#include "antenna-connection-page.h"
#include "antenna-decoded-view.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-ui.h"
#include "antenna-topic-node.h"
#include "antenna-topic-row.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-tree-view.h"
#include "antenna-value-chart.h"
#include "antenna-window-private.h"

#define WAIT_MS 20000
#define T0      1796000000000000

typedef struct
{
  AntennaProfileStore *store;
  AntennaSecretStore  *secrets;
  AntennaSettings     *settings;
  AntennaWindow       *window;
  char                *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("antenna-capture-page-XXXXXX", NULL);
  f->store = antenna_profile_store_new (NULL);
  f->secrets = antenna_secret_store_new ();
  f->settings = antenna_settings_new ();
  f->window = antenna_test_ui_window_new (f->store, f->secrets, f->settings);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  antenna_test_wait_finalized (g_steal_pointer (&f->window), WAIT_MS);
  g_clear_object (&f->secrets);
  g_clear_object (&f->settings);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
}

typedef struct
{
  const char *topic;
  const char *payload;
  gsize       size;      /* 0: strlen (payload) */
  gint64      time;
} Recorded;

static char *
write_capture (Fixture        *f,
               const char     *name,
               const Recorded *messages,
               guint           n)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (path, 0, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      gsize size = messages[i].size != 0 ? messages[i].size : strlen (messages[i].payload);
      g_autoptr(GBytes) payload = g_bytes_new (messages[i].payload, size);
      g_autoptr(AntennaMessage) m = antenna_message_new (messages[i].topic, payload, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_RECEIVED, messages[i].time, NULL);

      antenna_capture_append (capture, m);
    }
  antenna_capture_stop_async (capture, NULL, antenna_test_store_result, &result);
  antenna_test_wait_result (&result, WAIT_MS);
  g_assert_true (antenna_capture_stop_finish (capture, result, &error));
  return g_steal_pointer (&path);
}

/* @n messages on 50 topics, a millisecond apart, the payload their number. */
static char *
write_numbered_capture (Fixture    *f,
                        const char *name,
                        guint       n)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCapture) capture = antenna_capture_new (path, 0, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *topic = g_strdup_printf ("plant/line%u/temp", i % 50);
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));
      g_autoptr(AntennaMessage) m = antenna_message_new (topic, payload, 0, FALSE, FALSE,
                                                         ANTENNA_MESSAGE_RECEIVED, T0 + (gint64) i * 1000, NULL);

      antenna_capture_append (capture, m);
    }
  antenna_capture_stop_async (capture, NULL, antenna_test_store_result, &result);
  antenna_test_wait_result (&result, WAIT_MS);
  g_assert_true (antenna_capture_stop_finish (capture, result, &error));
  return g_steal_pointer (&path);
}

/* Loaded, and the log shows it (flushed at the next frame). */
static gboolean
page_loaded (AntennaCapturePage *page)
{
  return !antenna_capture_page_get_loading (page) &&
         g_list_model_get_n_items (G_LIST_MODEL (antenna_capture_page_get_message_log (page))) ==
         MIN (antenna_capture_page_get_n_loaded (page), 10000);
}

static void
wait_loaded (AntennaCapturePage *page)
{
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) page_loaded, page, WAIT_MS * 3));
}

static gboolean
export_done (AntennaCapturePage *page)
{
  return !antenna_capture_page_get_exporting (page);
}

static gboolean
is_export_bar (GtkWidget     *widget,
               gconstpointer  data)
{
  return ANTENNA_IS_EXPORT_BAR (widget);
}

typedef struct
{
  AntennaCapturePage *page;
  char               *path;
} Chosen;

/* The export to the chosen file has run and ended. */
static gboolean
chosen_written (Chosen *chosen)
{
  return g_file_test (chosen->path, G_FILE_TEST_EXISTS) && !antenna_capture_page_get_exporting (chosen->page);
}

static guint
n_capture_rows (Fixture *f)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (f->window->capture_list, n) != NULL)
    n++;
  return n;
}

static AntennaCapturePage *
shown_page (Fixture *f)
{
  GtkWidget *page = gtk_stack_get_visible_child (f->window->content_stack);

  return ANTENNA_IS_CAPTURE_PAGE (page) ? ANTENNA_CAPTURE_PAGE (page) : NULL;
}

static gboolean
match_action (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_menu_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget);
}

/* An item of a popover menu: GtkModelButton is private. */
static gboolean
is_model_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton");
}

static gboolean
file_chooser_shown (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (window))
        return TRUE;
    }
  return FALSE;
}

static gboolean
match_label_with (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
tree_counts_shown (GtkWidget *tree_view)
{
  return antenna_test_ui_find_widget (tree_view, match_label_with, "50 topics · 25000 messages") != NULL;
}

static char *
checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Opened as a page: its row in the sidebar, its name in the header, its
 * topics and messages, a time range, the search, Export…, Close; the same
 * file opened again is the same page; a file that is not a capture is
 * refused and left alone. */
static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  guint n = 25000;   /* more than the log keeps and than a page holds */
  g_autofree char *path = write_numbered_capture (f, "plant" ANTENNA_CAPTURE_SUFFIX, n);
  g_autofree char *other = g_build_filename (f->dir, "notes" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  AntennaCapturePage *page;
  AntennaTopicTree *tree;

  g_assert_false (gtk_widget_get_visible (f->window->capture_label));
  page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (f->window, file));
  g_assert_nonnull (page);
  g_object_ref (page);
  tree = antenna_capture_page_get_topic_tree (page);
  /* Its first messages are there before the main loop ran once: the first
   * frame of the page shows them, not the log's and the tree's empty states. */
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), >, 0);
  g_assert_cmpuint (antenna_message_log_get_total_count (antenna_capture_page_get_message_log (page)), ==,
                    antenna_capture_page_get_n_loaded (page));
  g_assert_cmpuint (antenna_topic_tree_get_total_count (tree), ==, antenna_capture_page_get_n_loaded (page));

  /* A page of the window, in view, with its row under Captures. */
  g_assert_true (shown_page (f) == page);
  g_assert_cmpuint (n_capture_rows (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (f->window->capture_label));
  g_assert_true (_antenna_window_get_selected_capture (f->window) == GTK_WIDGET (page));
  g_assert_cmpstr (adw_window_title_get_title (f->window->content_title), ==, "plant" ANTENNA_CAPTURE_SUFFIX);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (f->window->content_title), "25000"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->connect_button)));

  g_assert_cmpint (antenna_capture_page_get_n_total (page), ==, n);
  wait_loaded (page);
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, n);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (tree), ==, 50);
  g_assert_cmpuint (antenna_topic_tree_get_total_count (tree), ==, n);
  /* How fast a file loads is no message rate: the tree shows none. */
  g_assert_cmpfloat (antenna_topic_node_get_rate (antenna_topic_tree_lookup (tree, "plant")), ==, 0);
  /* The log keeps its bound, not the whole capture. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (antenna_capture_page_get_message_log (page))), <=, 10000);
  antenna_test_screenshot ("capture-page.png");

  /* Nothing that means a live connection: the log has no Pause nor Clear
   * (nor their actions, for a shortcut), the tree's counts no "received".
   * One way to export, the page's Export… (every message of the range and
   * the search): the log's Export Messages… (what the log keeps, 10,000 at
   * most) is neither shown nor enabled. */
  {
    GtkWidget *log_view = GTK_WIDGET (antenna_capture_page_get_log_view (page));
    GtkWidget *tree_view = GTK_WIDGET (antenna_capture_page_get_tree_view (page));
    GtkWidget *pause = antenna_test_ui_find_widget (log_view, match_action, "message-log.toggle-pause");
    GtkWidget *clear = antenna_test_ui_find_widget (log_view, match_action, "message-log.clear");
    AntennaMessageLog *log = antenna_capture_page_get_message_log (page);
    guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (log));
    GtkWidget *log_menu;
    GtkWidget *export_item;

    g_assert_nonnull (pause);
    g_assert_false (gtk_widget_get_visible (pause));
    g_assert_nonnull (clear);
    g_assert_false (gtk_widget_get_visible (clear));
    gtk_widget_activate_action (log_view, "message-log.toggle-pause", NULL);
    gtk_widget_activate_action (log_view, "message-log.clear", NULL);
    g_assert_false (antenna_message_log_get_paused (log));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, n_shown);

    log_menu = antenna_test_ui_find_widget (log_view, is_menu_button, NULL);
    g_assert_nonnull (log_menu);
    g_assert_false (gtk_widget_get_visible (log_menu));
    export_item = antenna_test_ui_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (log_menu))),
                                               is_model_button, NULL);
    g_assert_nonnull (export_item);
    g_assert_false (gtk_widget_get_sensitive (export_item));
    gtk_widget_activate_action (log_view, "message-log.export", NULL);
    antenna_test_iterate_for (100);
    g_assert_false (file_chooser_shown ());
    g_assert_false (antenna_message_log_view_get_exporting (ANTENNA_MESSAGE_LOG_VIEW (log_view)));
    /* The counts are shown a few times a second: the last ones soon. */
    g_assert_true (antenna_test_wait_until ((AntennaTestCondition) tree_counts_shown, tree_view, WAIT_MS));
    g_assert_null (antenna_test_ui_find_widget (tree_view, match_label_with, "received"));
  }

  /* Opened again: the same page, no second row. */
  g_assert_true (antenna_window_open_capture (f->window, file) == GTK_WIDGET (page));
  g_assert_cmpuint (n_capture_rows (f), ==, 1);

  /* The first second only: 1,000 messages (0 … 999 ms after the first). */
  antenna_capture_page_set_range (page, T0, T0 + 999 * 1000);
  wait_loaded (page);
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, 1000);
  g_assert_cmpuint (antenna_topic_tree_get_total_count (tree), ==, 1000);

  /* The search reads the whole range, not what the log keeps: topics … */
  antenna_capture_page_set_range (page, G_MININT64, G_MAXINT64);
  antenna_capture_page_set_search (page, "line7/");
  wait_loaded (page);
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, n / 50);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (tree), ==, 1);
  g_assert_nonnull (antenna_topic_tree_lookup (tree, "plant/line7/temp"));
  /* … and payloads: 24999 is the last message, on line 49. */
  antenna_capture_page_set_search (page, "24999");
  wait_loaded (page);
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, 1);
  g_assert_nonnull (antenna_topic_tree_lookup (tree, "plant/line49/temp"));
  antenna_test_screenshot ("capture-page-search.png");

  /* Export… of what the search selects, off the main thread: JSON Lines. */
  {
    g_autofree char *out_path = g_build_filename (f->dir, "found.jsonl", NULL);
    g_autoptr(GFile) out = g_file_new_for_path (out_path);
    g_autofree char *contents = NULL;

    antenna_capture_page_set_search (page, "line3/");
    antenna_capture_page_set_range (page, T0, T0 + 999 * 1000);
    wait_loaded (page);
    g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, 20);
    antenna_capture_page_export (page, out, ANTENNA_CAPTURE_FORMAT_JSON_LINES);
    g_assert_true (antenna_capture_page_get_exporting (page));
    g_assert_true (antenna_test_wait_until ((AntennaTestCondition) export_done, page, WAIT_MS));
    contents = antenna_test_read_file (out_path);
    g_assert_cmpuint (antenna_test_count_in (contents, "\n"), ==, 20);
    g_assert_true (g_str_has_prefix (contents, "{\"time\":"));
    g_assert_nonnull (strstr (contents, "\"payload\":\"953\""));
    g_assert_null (strstr (contents, "line4/"));
  }

  /* Export… asks where, suggesting the capture's name; the chosen file
   * (as the chooser's Export answers) gets the export, in the format its
   * name says. */
  {
    g_autoptr(GFile) out = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *name = NULL;  /* the chooser's current name is a copy */
    GtkWidget *bar = antenna_test_ui_find_widget (GTK_WIDGET (page), is_export_bar, NULL);
    GtkWindow *chooser;
    Chosen chosen = { page, NULL };

    g_assert_nonnull (bar);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "capture.export", NULL));
    chooser = antenna_test_ui_wait_window (GTK_TYPE_FILE_CHOOSER_DIALOG, WAIT_MS);
    g_assert_nonnull (chooser);
    name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (name, ==, "plant.csv");
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chooser)));
    g_assert_false (antenna_capture_page_get_exporting (page));

    chosen.path = g_build_filename (f->dir, "chosen.jsonl", NULL);
    out = g_file_new_for_path (chosen.path);
    g_signal_emit_by_name (bar, "file-chosen", out, (int) antenna_capture_format_for_file (out));
    g_assert_true (antenna_capture_page_get_exporting (page));
    g_assert_true (antenna_test_wait_until ((AntennaTestCondition) chosen_written, &chosen, WAIT_MS));
    contents = antenna_test_read_file (chosen.path);
    g_assert_cmpuint (antenna_test_count_in (contents, "\n"), ==, 20);
    g_assert_true (g_str_has_prefix (contents, "{\"time\":"));
    g_free (chosen.path);
  }

  /* Close: the row and the page go. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-capture", "s", path));
  g_assert_cmpuint (n_capture_rows (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (f->window->capture_label));
  g_assert_null (shown_page (f));
  antenna_test_wait_finalized (page, WAIT_MS);

  /* Not a capture, though named like one: refused, untouched. */
  g_assert_true (g_file_set_contents (other, "just some notes\n", -1, NULL));
  before = checksum_file (other);
  g_assert_null (antenna_window_open_capture (f->window, other_file));
  g_assert_cmpuint (n_capture_rows (f), ==, 0);
  after = checksum_file (other);
  g_assert_cmpstr (before, ==, after);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static gboolean
drop_files (Fixture *f,
            GFile   *file)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (f->window));
  GSList *files = g_slist_prepend (NULL, file);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);
  /* What GTK calls when a file manager's drag is released on the window. */
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  return handled;
}

static gboolean
chooser_has_file (Fixture *f)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (f->window->file_chooser));

  return file != NULL;
}

/* File › Open Capture… (its chooser answered with a file, as a person's
 * click would) and a file dropped on the window land on the capture's page. */
static void
test_open_ways (Fixture       *f,
                gconstpointer  data)
{
  Recorded one[] = { { "a/b", "1", 0, T0 } };
  Recorded two[] = { { "c/d", "2", 0, T0 }, { "c/e", "3", 0, T0 + 1 } };
  g_autofree char *first = write_capture (f, "first" ANTENNA_CAPTURE_SUFFIX, one, G_N_ELEMENTS (one));
  g_autofree char *second = write_capture (f, "second" ANTENNA_CAPTURE_SUFFIX, two, G_N_ELEMENTS (two));
  g_autoptr(GFile) first_file = g_file_new_for_path (first);
  g_autoptr(GFile) second_file = g_file_new_for_path (second);
  AntennaCapturePage *page;

  /* File › Open Capture… (Ctrl+O). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-capture", NULL));
  g_assert_nonnull (f->window->file_chooser);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (f->window->file_chooser), first_file, NULL));
  /* The chooser selects it once it has read the folder; then, Open. */
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) chooser_has_file, f, WAIT_MS));
  g_signal_emit_by_name (f->window->file_chooser, "response", GTK_RESPONSE_ACCEPT);
  page = shown_page (f);
  g_assert_nonnull (page);
  g_assert_cmpstr (antenna_capture_page_get_path (page), ==, first);
  wait_loaded (page);
  g_assert_cmpuint (antenna_capture_page_get_n_loaded (page), ==, 1);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (f->window->file_chooser));

  /* Dropped: a second page, in view. */
  g_assert_true (drop_files (f, second_file));
  g_assert_cmpuint (n_capture_rows (f), ==, 2);
  page = shown_page (f);
  g_assert_nonnull (page);
  g_assert_cmpstr (antenna_capture_page_get_path (page), ==, second);
  wait_loaded (page);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (antenna_capture_page_get_topic_tree (page)), ==, 2);

  /* The first dropped again: its page comes back, no third. */
  g_assert_true (drop_files (f, first_file));
  g_assert_cmpuint (n_capture_rows (f), ==, 2);
  g_assert_cmpstr (antenna_capture_page_get_path (shown_page (f)), ==, first);
  antenna_test_screenshot ("capture-pages.png");
}

static gboolean
inspector_idle (AntennaCapturePage *page)
{
  return !antenna_message_inspector_get_busy (antenna_capture_page_get_inspector (page));
}

static char *
select_and_show (AntennaCapturePage *page,
                 const char         *topic)
{
  AntennaTopicTreeView *tree_view = antenna_capture_page_get_tree_view (page);
  AntennaMessageInspector *inspector = antenna_capture_page_get_inspector (page);

  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, topic));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, page, WAIT_MS));
  g_assert_cmpstr (antenna_message_get_topic (antenna_message_inspector_get_message (inspector)), ==, topic);
  return antenna_message_inspector_dup_payload_text (inspector);
}

static gboolean
decoded_idle (AntennaDecodedView *view)
{
  return !antenna_decoded_view_get_busy (view) && antenna_decoded_view_get_shown_decoder (view) != NULL;
}

static gboolean
is_use_for_topic (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "decoded.use-for-topic") == 0;
}

/* The inspector of a capture's page: history, chart and diff of a topic,
 * as it was at the end of the time range; a decoder picked for a payload. */
static void
test_views (Fixture       *f,
            gconstpointer  data)
{
  /* MessagePack: [1, -2, 3.25, nil, true] */
  static const char packed[] = "\x95\x01\xfe\xcb\x40\x0a\x00\x00\x00\x00\x00\x00\xc0\xc3";
  Recorded messages[] = {
    { "home/kitchen/temp", "21.5", 0, T0 },
    { "home/kitchen/temp", "22", 0, T0 + G_USEC_PER_SEC },
    { "home/kitchen/temp", "22.5", 0, T0 + 2 * G_USEC_PER_SEC },
    { "plant/boiler/state", packed, sizeof packed - 1, T0 + 3 * G_USEC_PER_SEC },
  };
  g_autofree char *path = write_capture (f, "home" ANTENNA_CAPTURE_SUFFIX, messages, G_N_ELEMENTS (messages));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AntennaCapturePage *page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (f->window, file));
  AntennaMessageInspector *inspector;
  AntennaDecodedView *view;
  GtkWidget *use_for_topic;
  g_autofree char *text = NULL;
  g_autofree char *diff = NULL;
  g_autofree char *json = NULL;

  g_assert_nonnull (page);
  wait_loaded (page);
  inspector = antenna_capture_page_get_inspector (page);

  /* History, chart and the diff against the previous message of the topic. */
  text = select_and_show (page, "home/kitchen/temp");
  g_assert_cmpstr (text, ==, "22.5");
  g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector))), ==, 3);
  diff = antenna_message_inspector_dup_diff_text (inspector);
  g_assert_cmpstr (diff, ==, "- 22\n+ 22.5\n");
  antenna_message_inspector_show_view (inspector, "chart");
  antenna_test_screenshot ("capture-page-chart.png");
  antenna_message_inspector_show_view (inspector, "diff");
  antenna_test_iterate_for (50);
  antenna_test_screenshot ("capture-page-diff.png");

  /* The tree as it was at the second message. */
  antenna_capture_page_set_range (page, T0, T0 + G_USEC_PER_SEC);
  wait_loaded (page);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&diff, g_free);
  text = select_and_show (page, "home/kitchen/temp");
  g_assert_cmpstr (text, ==, "22");
  g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector))), ==, 2);
  diff = antenna_message_inspector_dup_diff_text (inspector);
  g_assert_cmpstr (diff, ==, "- 21.5\n+ 22\n");
  g_assert_null (antenna_topic_tree_lookup (antenna_capture_page_get_topic_tree (page), "plant/boiler/state"));

  /* MessagePack, picked in the decoded view. */
  antenna_capture_page_set_range (page, G_MININT64, G_MAXINT64);
  wait_loaded (page);
  g_free (select_and_show (page, "plant/boiler/state"));
  antenna_message_inspector_show_view (inspector, "decoded");
  view = ANTENNA_DECODED_VIEW (antenna_message_inspector_get_decoded_view (inspector));
  antenna_decoded_view_set_decoder (view, "msgpack");
  antenna_test_iterate_for (20);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) decoded_idle, view, WAIT_MS));
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "msgpack");
  json = antenna_decoded_view_dup_json (view);
  g_assert_cmpstr (json, ==, "[1,-2,3.25,null,true]");
  /* A capture has no profile to keep a rule in: no button offers one. */
  use_for_topic = antenna_test_ui_find_widget (GTK_WIDGET (view), is_use_for_topic, NULL);
  g_assert_nonnull (use_for_topic);
  g_assert_false (gtk_widget_is_sensitive (use_for_topic));
  antenna_test_iterate_for (100);
  antenna_test_screenshot ("capture-page-decoded.png");
}

/* ---- The topic tree of a capture ---- */

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect_widgets (child, type, found);
    }
}

/* The time labels of the tree's rows on screen. */
static GPtrArray *
dup_row_times (AntennaTopicTreeView *tree_view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *times = g_ptr_array_new_with_free_func (g_free);

  collect_widgets (GTK_WIDGET (tree_view), ANTENNA_TYPE_TOPIC_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_parent (g_ptr_array_index (rows, i)) != NULL)
      g_ptr_array_add (times, g_strdup (antenna_topic_row_get_time_text (g_ptr_array_index (rows, i))));
  return times;
}

static gboolean
str_array_has (GPtrArray  *array,
               const char *text)
{
  return g_ptr_array_find_with_equal_func (array, text, g_str_equal, NULL);
}

static char *
clock_of (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return g_date_time_format (time, "%H:%M:%S");
}

typedef struct
{
  AntennaTopicTreeView *tree_view;
  const char           *text;
} RowTime;

static gboolean
row_time_shown (RowTime *wanted)
{
  g_autoptr(GPtrArray) times = dup_row_times (wanted->tree_view);

  return str_array_has (times, wanted->text);
}

/* @label without its mnemonic marks, as a menu shows it: "_Copy" is
 * "Copy", "a__b" is "a_b". */
static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

/* The action and label of every item of @model and of its sections and
 * submenus, as @items: action → label as shown. */
static void
collect_model_items (GMenuModel *model,
                     GHashTable *items)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      char *action = NULL;
      g_autofree char *label = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_hash_table_replace (items, action, strip_mnemonic (label));
      else
        g_free (action);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          collect_model_items (link, items);
        }
    }
}

/* The labels of the items a popover menu shows: its visible buttons below
 * visible boxes. GtkPopoverMenu makes an item a GtkModelButton (private),
 * whose "text" is the item's label, and leaves out an item whose action
 * is missing when the item says hidden-when="action-missing". */
static void
collect_shown_labels (GtkWidget *root,
                      GPtrArray *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      char *text = NULL;

      if (!gtk_widget_get_visible (child))
        continue;
      if (is_model_button (child, NULL))
        {
          g_object_get (child, "text", &text, NULL);
          g_ptr_array_add (labels, text);
        }
      collect_shown_labels (child, labels);
    }
}

/* What the tree's menus (its options menu and the menu of a row,
 * right-clicked) hold, and of that what they show. */
static void
collect_tree_menus (GtkWidget  *tree_view,
                    GHashTable *in_models,
                    GPtrArray  *shown)
{
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();

  collect_widgets (tree_view, GTK_TYPE_POPOVER_MENU, menus);
  g_assert_cmpuint (menus->len, ==, 2);
  for (guint i = 0; i < menus->len; i++)
    {
      GtkPopoverMenu *menu = g_ptr_array_index (menus, i);

      collect_model_items (gtk_popover_menu_get_menu_model (menu), in_models);
      collect_shown_labels (GTK_WIDGET (menu), shown);
    }
}

static gboolean
is_log_view (GtkWidget     *widget,
             gconstpointer  data)
{
  return ANTENNA_IS_MESSAGE_LOG_VIEW (widget);
}

static gboolean
is_tree_view (GtkWidget     *widget,
              gconstpointer  data)
{
  return ANTENNA_IS_TOPIC_TREE_VIEW (widget);
}

static const char * const connection_actions[] = {
  "page.clear-retained",
  "page.clear-retained-subtree",
  "page.show-sparkplug",
};

/* A capture's tree: each topic shows when its last message was recorded,
 * in the clock time the log shows, and it stays so; a live tree counts the
 * time since. Its menus offer nothing that needs a connection (Clear
 * Retained…, Sparkplug B…), which the same menus on a connection's page
 * show, as its log shows Export Messages…. */
static void
test_tree (Fixture       *f,
           gconstpointer  data)
{
  Recorded messages[] = {
    { "home/kitchen/temp", "21.5", 0, T0 },
    { "home/kitchen/temp", "22", 0, T0 + 2 * G_USEC_PER_SEC },
    { "home/hall/door", "open", 0, T0 + 65 * G_USEC_PER_SEC + 300000 },
  };
  g_autofree char *path = write_capture (f, "house" ANTENNA_CAPTURE_SUFFIX, messages, G_N_ELEMENTS (messages));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AntennaCapturePage *page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (f->window, file));
  AntennaTopicTreeView *tree_view;
  g_autofree char *kitchen = clock_of (T0 + 2 * G_USEC_PER_SEC);
  g_autofree char *door = clock_of (T0 + 65 * G_USEC_PER_SEC + 300000);
  g_autoptr(GPtrArray) recorded = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(GPtrArray) aged = NULL;
  g_autoptr(GPtrArray) still = NULL;
  RowTime wanted;

  g_assert_nonnull (page);
  wait_loaded (page);
  tree_view = antenna_capture_page_get_tree_view (page);
  antenna_topic_tree_view_expand_all (tree_view);

  /* The clock time of each topic's last message, on its row (a level
   * without messages of its own, home, home/kitchen and home/hall, none). */
  wanted = (RowTime) { tree_view, kitchen };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) row_time_shown, &wanted, WAIT_MS));
  recorded = dup_row_times (tree_view);
  g_assert_cmpuint (recorded->len, ==, 5);
  g_assert_true (str_array_has (recorded, door));
  for (guint i = 0; i < recorded->len; i++)
    {
      const char *text = g_ptr_array_index (recorded, i);

      g_assert_true (g_str_equal (text, kitchen) || g_str_equal (text, door) || g_str_equal (text, ""));
    }
  /* The date, in the time's tooltip: a capture may span days. */
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_unix_local ((T0 + 65 * G_USEC_PER_SEC) / G_USEC_PER_SEC);
    g_autofree char *date = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
    GtkWidget *label = antenna_test_ui_find_widget (GTK_WIDGET (tree_view), match_label_with, door);

    g_assert_nonnull (label);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (label), date));
  }
  antenna_test_screenshot ("capture-page-tree.png");

  /* A day later, to the tree's tick, a recorded time is the same. */
  antenna_topic_tree_view_tick (tree_view, g_get_real_time () + (gint64) 24 * 3600 * G_USEC_PER_SEC);
  still = dup_row_times (tree_view);
  g_assert_cmpuint (still->len, ==, recorded->len);
  for (guint i = 0; i < still->len; i++)
    g_assert_true (str_array_has (recorded, g_ptr_array_index (still, i)));

  /* The same rows live: the time since, which a day later is another. */
  antenna_topic_tree_view_set_live (tree_view, TRUE);
  live = dup_row_times (tree_view);
  g_assert_cmpuint (live->len, ==, recorded->len);
  for (guint i = 0; i < live->len; i++)
    if (*(const char *) g_ptr_array_index (live, i) != '\0')
      g_assert_false (str_array_has (recorded, g_ptr_array_index (live, i)));
  /* (After the capture's end too, whatever this machine's clock says.) */
  antenna_topic_tree_view_tick (tree_view, MAX (g_get_real_time (), T0 + 66 * G_USEC_PER_SEC) +
                                           (gint64) 48 * 3600 * G_USEC_PER_SEC);
  aged = dup_row_times (tree_view);
  for (guint i = 0; i < aged->len; i++)
    if (*(const char *) g_ptr_array_index (aged, i) != '\0')
      g_assert_false (str_array_has (live, g_ptr_array_index (aged, i)));
  antenna_topic_tree_view_set_live (tree_view, FALSE);
  g_clear_pointer (&still, g_ptr_array_unref);
  still = dup_row_times (tree_view);
  for (guint i = 0; i < still->len; i++)
    g_assert_true (str_array_has (recorded, g_ptr_array_index (still, i)));

  /* The menus: the items are in their models (shared with the live page)
   * but not shown, and their actions are not there to activate. */
  {
    g_autoptr(GHashTable) in_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);

    collect_tree_menus (GTK_WIDGET (tree_view), in_models, shown);
    g_assert_true (str_array_has (shown, g_hash_table_lookup (in_models, "topic-tree.copy-topic")));
    g_assert_true (str_array_has (shown, g_hash_table_lookup (in_models, "topic-tree.expand-all")));
    for (guint i = 0; i < G_N_ELEMENTS (connection_actions); i++)
      {
        const char *label = g_hash_table_lookup (in_models, connection_actions[i]);

        g_assert_nonnull (label);
        g_assert_false (str_array_has (shown, label));
        g_assert_false (gtk_widget_activate_action (GTK_WIDGET (tree_view), connection_actions[i], NULL));
      }
  }

  /* The same menus on the page of a connection (never connected) show them. */
  {
    g_autoptr(GHashTable) in_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(AntennaProfile) profile = antenna_profile_new ();
    AntennaClient *client;
    AntennaConnectionPage *connection_page = NULL;
    GtkWidget *window;
    GtkWidget *live_tree;
    GtkWidget *log_view;
    GtkWidget *log_menu;
    GtkWidget *export_item;

    antenna_profile_set_name (profile, "House");
    client = antenna_client_new (profile);
    window = antenna_test_ui_show_page (client, 1000, 700, &connection_page);
    live_tree = antenna_test_ui_find_widget (GTK_WIDGET (connection_page), is_tree_view, NULL);
    g_assert_nonnull (live_tree);
    collect_tree_menus (live_tree, in_models, shown);
    for (guint i = 0; i < G_N_ELEMENTS (connection_actions); i++)
      g_assert_true (str_array_has (shown, g_hash_table_lookup (in_models, connection_actions[i])));

    /* And its log's Export Messages…, which a capture's page leaves to its
     * own Export… (test_open). */
    log_view = antenna_test_ui_find_widget (GTK_WIDGET (connection_page), is_log_view, NULL);
    g_assert_nonnull (log_view);
    log_menu = antenna_test_ui_find_widget (log_view, is_menu_button, NULL);
    g_assert_nonnull (log_menu);
    g_assert_true (gtk_widget_get_visible (log_menu));
    export_item = antenna_test_ui_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (log_menu))),
                                               is_model_button, NULL);
    g_assert_nonnull (export_item);
    g_assert_true (gtk_widget_get_sensitive (export_item));
    antenna_test_ui_close_page (window, connection_page, client);
  }
}

/* ---- Replay… ---- */

static void
on_replayed_messages_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         GPtrArray     *seen)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_str_has_prefix (antenna_message_get_topic (g_ptr_array_index (messages, i)), "replayed/"))
      g_ptr_array_add (seen, g_object_ref (g_ptr_array_index (messages, i)));
}

static gboolean
replay_done (AntennaCapturePage *page)
{
  return antenna_capture_page_get_replay (page) == NULL;
}

static gboolean
dialog_shown (AntennaCapturePage *page)
{
  return antenna_capture_page_get_dialog (page) != NULL;
}

/* Replay…: the confirmation names the broker; what it publishes arrives,
 * rewritten, in order. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  AntennaTestBroker *broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", antenna_test_broker_get_port (broker));
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) clients = g_list_store_new (ANTENNA_TYPE_CLIENT);
  g_autoptr(GPtrArray) recorded = g_ptr_array_new_with_free_func (g_free);
  g_autofree Recorded *messages = g_new0 (Recorded, 100);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  AntennaCapturePage *page;
  AdwMessageDialog *dialog;
  GtkWidget *extra;
  guint n = 100;

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (recorded, g_strdup_printf ("%u", i));
      messages[i] = (Recorded) { "old/line", g_ptr_array_index (recorded, i), 0, T0 + i };
    }
  path = write_capture (f, "replay" ANTENNA_CAPTURE_SUFFIX, messages, n);
  file = g_file_new_for_path (path);

  antenna_profile_set_name (profile, "Plant Floor");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);
  antenna_test_subscribe_ok (client, "replayed/#", 1);
  g_signal_connect (client, "messages-received", G_CALLBACK (on_replayed_messages_cb), seen);

  page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (f->window, file));
  g_assert_nonnull (page);
  g_list_store_append (clients, client);
  antenna_capture_page_set_clients (page, G_LIST_MODEL (clients));
  wait_loaded (page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "capture.replay", NULL));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) dialog_shown, page, WAIT_MS));
  dialog = antenna_capture_page_get_dialog (page);
  /* It names the broker and the connection before anything is published. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), address));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Plant Floor"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_cmpuint (seen->len, ==, 0);

  extra = adw_message_dialog_get_extra_child (dialog);
  {
    GtkWidget *entries[2] = { NULL, NULL };
    guint k = 0;

    for (GtkWidget *row = gtk_widget_get_first_child (extra); row != NULL; row = gtk_widget_get_next_sibling (row))
      for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          if (GTK_IS_ENTRY (child) && k < 2)
            entries[k++] = child;
          if (GTK_IS_DROP_DOWN (child) && g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (child))) == 3)
            gtk_drop_down_set_selected (GTK_DROP_DOWN (child), 2);   /* as fast as it goes */
        }
    g_assert_cmpuint (k, ==, 2);
    gtk_editable_set_text (GTK_EDITABLE (entries[0]), "old/");
    gtk_editable_set_text (GTK_EDITABLE (entries[1]), "replayed/");
  }
  antenna_test_screenshot ("replay-dialog.png");
  adw_message_dialog_response (dialog, "replay");
  gtk_window_destroy (GTK_WINDOW (dialog));   /* as its button does */
  g_assert_nonnull (antenna_capture_page_get_replay (page));

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) replay_done, page, WAIT_MS));
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

    while (seen->len < n && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      AntennaMessage *m = g_ptr_array_index (seen, i);
      const char *text = g_ptr_array_index (recorded, i);

      g_assert_cmpstr (antenna_message_get_topic (m), ==, "replayed/line");
      g_assert_cmpmem (g_bytes_get_data (antenna_message_get_payload (m), NULL),
                       g_bytes_get_size (antenna_message_get_payload (m)), text, strlen (text));
    }
  antenna_test_screenshot ("replay-done.png");

  g_signal_handlers_disconnect_by_data (client, seen);
  antenna_test_disconnect_ok (client);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-capture", "s", path));
  antenna_test_broker_free (broker);
}

int
main (int   argc,
      char *argv[])
{
  /* The schemas are found once per process: with the system's data folders,
   * before the isolated ones hide them, so that GTK's file chooser (File ›
   * Open Capture…) finds its settings. */
  g_settings_schema_source_get_default ();
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  g_test_add ("/antenna/ui/capture-page/open", Fixture, NULL, fixture_setup, test_open, fixture_teardown);
  g_test_add ("/antenna/ui/capture-page/open-ways", Fixture, NULL, fixture_setup, test_open_ways, fixture_teardown);
  g_test_add ("/antenna/ui/capture-page/views", Fixture, NULL, fixture_setup, test_views, fixture_teardown);
  g_test_add ("/antenna/ui/capture-page/tree", Fixture, NULL, fixture_setup, test_tree, fixture_teardown);
  g_test_add ("/antenna/ui/capture-page/replay", Fixture, NULL, fixture_setup, test_replay, fixture_teardown);

  return antenna_test_run ();
}
