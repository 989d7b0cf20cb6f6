/* antenna-capture-page.c: a capture file, read-only, as a page of the main window
 *
 * The topic tree, the message log and the inspector of a connection page
 * (with its history, chart, diff and decoded views), fed from the capture
 * instead of a client: a worker thread with a reader
 * of its own reads the messages of the time range in pages and queues
 * them (a few pages ahead at most, so a capture of millions is never held
 * whole); the main thread takes what is queued once a frame (16 ms), spending at
 * most a few milliseconds, into the tree (bounded histories) and the log
 * (bounded), as a live page does with the client's batches. Moving the
 * From or To scale loads the range again: the tree shows the topics as they
 * were at To. The search loads again only the messages whose topic or
 * payload holds the text, from the whole capture (a scan in SQLite: see
 * bench/README.md for its speed).
 *
 * Replay… publishes the messages of the range into a connection of the main
 * window that is connected, after a confirmation that names its broker;
 * a bar shows the progress, pauses and cancels it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-capture-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-capture.h"
#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"
#include "antenna-capture-replay.h"
#include "antenna-decoder-context.h"
#include "antenna-export-bar.h"
#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-window.h"
#include "antenna-capture-page.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-tree-view.h"

#define PAGE_SIZE        2000
#define FIRST_PAGE_SIZE  500
#define PAGES_AHEAD      4
#define DRAIN_INTERVAL   16
#define DRAIN_BUDGET_US  8000
#define RANGE_DELAY_MS   300
#define LOG_LIMIT        10000

/* What the loading thread shares with the page (by reference: either may
 * go first). */
typedef struct
{
  gatomicrefcount  ref_count;
  GAsyncQueue     *pages;       /* of GPtrArray; an empty one at the end */
  GCancellable    *cancellable;
  GError          *error;       /* set before the end mark */
} Load;

struct _AntennaCapturePage
{
  AdwBin                 parent_instance;

  /* Template Widgets */
  GtkSearchEntry        *search_entry;
  GtkAdjustment         *from_adjustment;
  GtkAdjustment         *to_adjustment;
  GtkScale              *from_scale;
  GtkScale              *to_scale;
  GtkLabel              *status;
  AdwBin                *tree_bin;
  AdwBin                *log_bin;
  AdwBin                *inspector_bin;
  GtkRevealer           *replay_revealer;
  GtkBox                *replay_box;
  GtkLabel              *replay_label;
  GtkProgressBar        *replay_progress;
  GtkToggleButton       *replay_pause;
  GtkButton             *replay_button;
  AntennaExportBar      *export_bar;

  /* Borrowed References */
  AdwMessageDialog      *dialog;          /* on screen, or NULL */
  GtkDropDown           *dialog_clients;
  GtkDropDown           *dialog_speed;
  GtkCheckButton        *dialog_clear_retain;
  GtkEntry              *dialog_rewrite_from;
  GtkEntry              *dialog_rewrite_to;
  AntennaTopicTreeView  *tree_view;
  AntennaMessageLogView *log_view;
  AntennaMessageInspector *inspector;

  /* Owned References */
  char                  *path;
  char                  *search;          /* NULL: every message */
  AntennaDecoderContext *decoder_context;
  AntennaTopicTree      *tree;
  AntennaMessageLog     *log;
  GListStore            *no_subscriptions;
  Load                  *load;
  GListModel            *clients;         /* set, or NULL: the main window's */
  GListModel            *dialog_model;    /* the clients the dialog offers */
  AntennaCaptureReplay  *replay;
  AntennaClient         *replay_client;
  GCancellable          *replay_cancellable;
  GBinding              *pause_binding;
  gint64                 replay_total;

  gint64                 n_total;
  guint64                n_loaded;
  gint64                 from;
  gint64                 to;
  guint                  drain_id;
  guint                  tick_id;
  gboolean               dirty;
  guint                  range_id;
  gboolean               setting_range;
  gboolean               setting_search;
};

G_DEFINE_FINAL_TYPE (AntennaCapturePage, antenna_capture_page, ADW_TYPE_BIN)

static Load *
load_ref (Load *load)
{
  g_atomic_ref_count_inc (&load->ref_count);
  return load;
}

static void
load_unref (Load *load)
{
  if (!g_atomic_ref_count_dec (&load->ref_count))
    return;

  g_async_queue_unref (load->pages);
  g_object_unref (load->cancellable);
  g_clear_error (&load->error);
  g_free (load);
}

typedef struct
{
  Load                 *load;
  char                 *path;
  char                 *search;
  AntennaCaptureQuery   query;
  AntennaCaptureCursor  cursor;   /* where the page's own first read ended */
} LoadJob;

static gpointer
load_thread (gpointer user_data)
{
  LoadJob *job = user_data;
  Load *load = job->load;
  g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (job->path, &load->error);

  while (reader != NULL && !g_cancellable_is_cancelled (load->cancellable))
    {
      GPtrArray *page;

      /* A few pages ahead of the page at most. */
      if (g_async_queue_length (load->pages) >= PAGES_AHEAD)
        {
          g_usleep (5000);
          continue;
        }

      page = antenna_capture_reader_read_page (reader, &job->query, &job->cursor, PAGE_SIZE, &load->error);
      if (page == NULL || page->len == 0)
        {
          g_clear_pointer (&page, g_ptr_array_unref);
          break;
        }
      g_async_queue_push (load->pages, page);
    }

  /* The end: an empty page. */
  g_async_queue_push (load->pages, g_ptr_array_new ());
  load_unref (load);
  g_free (job->path);
  g_free (job->search);
  g_free (job);
  return NULL;
}

static void
update_status (AntennaCapturePage *self)
{
  g_autofree char *text = NULL;

  if (self->load != NULL)
    text = g_strdup_printf (_("Loading… %'llu"), (unsigned long long) self->n_loaded);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'llu of %'llu message", "%'llu of %'llu messages",
                                         (gulong) MIN ((guint64) self->n_total, G_MAXULONG)),
                            (unsigned long long) self->n_loaded, (unsigned long long) self->n_total);
  gtk_label_set_text (self->status, text);
}

static void
stop_loading (AntennaCapturePage *self)
{
  if (self->load == NULL)
    return;

  g_cancellable_cancel (self->load->cancellable);
  g_clear_pointer (&self->load, load_unref);
  g_clear_handle_id (&self->drain_id, g_source_remove);
}

/* As the connection page: models flushed once a frame, and the views' ticks
 * (counts, labels) until they have nothing left to show. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (widget);
  gboolean had_data = self->dirty;
  gboolean waiting;

  if (self->dirty)
    {
      self->dirty = FALSE;
      antenna_topic_tree_flush (self->tree);
      antenna_message_log_flush (self->log);
    }
  waiting = antenna_topic_tree_view_tick (self->tree_view, g_get_real_time ());
  waiting |= antenna_message_log_view_tick (self->log_view);

  if (had_data || waiting)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
ensure_tick (AntennaCapturePage *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static gboolean
drain_cb (gpointer user_data)
{
  AntennaCapturePage *self = user_data;
  gint64 deadline = g_get_monotonic_time () + DRAIN_BUDGET_US;
  gboolean ended = FALSE;
  gboolean added = FALSE;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) page = g_async_queue_try_pop (self->load->pages);

      if (page == NULL)
        break;
      if (page->len == 0)
        {
          ended = TRUE;
          break;
        }
      antenna_topic_tree_add_messages (self->tree, page);
      antenna_message_log_add_messages (self->log, page);
      self->n_loaded += page->len;
      added = TRUE;
    }

  if (added)
    ensure_tick (self);

  if (ended)
    {
      g_autofree char *error = self->load->error != NULL ? g_strdup (self->load->error->message) : NULL;

      self->drain_id = 0;
      g_clear_pointer (&self->load, load_unref);
      update_status (self);
      /* A capture damaged past its start: what was read stays, and why not more. */
      if (error != NULL)
        {
          gtk_label_set_text (self->status, error);
          gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
        }
      return G_SOURCE_REMOVE;
    }

  update_status (self);
  return G_SOURCE_CONTINUE;
}

/* @reader, when given, reads the first page here, on the main thread: the
 * page's first frame then shows messages, laid out once, instead of the
 * views' empty states laid out first and replaced a frame later by what a
 * thread started at the same time read (which a busy machine may run late).
 * Only for a page being opened: the whole capture, no search, so the read
 * is a range of rowids, a page of which takes a few milliseconds; a search
 * or a range may scan much of the capture before its first match. */
static void
start_loading (AntennaCapturePage   *self,
               AntennaCaptureReader *reader)
{
  LoadJob *job;
  GThread *thread;

  stop_loading (self);
  antenna_topic_tree_clear (self->tree);
  antenna_message_log_clear (self->log);
  ensure_tick (self);
  self->n_loaded = 0;

  job = g_new0 (LoadJob, 1);
  antenna_capture_query_init (&job->query);
  antenna_capture_cursor_init (&job->cursor);
  job->path = g_strdup (self->path);
  job->search = g_strdup (self->search);
  job->query.time_from = self->from;
  job->query.time_to = self->to;
  job->query.text = job->search;

  if (reader != NULL)
    {
      g_autoptr(GPtrArray) page = NULL;

      g_assert (self->search == NULL && self->from == G_MININT64 && self->to == G_MAXINT64);
      /* A failure is the thread's to report: it reads the same page again. */
      page = antenna_capture_reader_read_page (reader, &job->query, &job->cursor, FIRST_PAGE_SIZE, NULL);
      if (page != NULL)
        {
          antenna_topic_tree_add_messages (self->tree, page);
          antenna_message_log_add_messages (self->log, page);
          self->n_loaded = page->len;
        }
      else
        antenna_capture_cursor_init (&job->cursor);
    }

  self->load = g_new0 (Load, 1);
  g_atomic_ref_count_init (&self->load->ref_count);
  self->load->pages = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  self->load->cancellable = g_cancellable_new ();

  job->load = load_ref (self->load);

  thread = g_thread_new ("antenna-capture-load", load_thread, job);
  g_thread_unref (thread);
  self->drain_id = g_timeout_add (DRAIN_INTERVAL, drain_cb, self);
  update_status (self);
}

static char *
format_time (GtkScale *scale,
             double    value,
             gpointer  user_data)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local ((gint64) (value / G_USEC_PER_SEC));

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static gboolean
range_delay_cb (gpointer user_data)
{
  AntennaCapturePage *self = user_data;

  self->range_id = 0;
  antenna_capture_page_set_range (self,
                                    (gint64) gtk_adjustment_get_value (self->from_adjustment),
                                    (gint64) gtk_adjustment_get_value (self->to_adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_range_changed_cb (AntennaCapturePage *self)
{
  if (self->setting_range)
    return;

  /* Once the scale rests. */
  g_clear_handle_id (&self->range_id, g_source_remove);
  self->range_id = g_timeout_add (RANGE_DELAY_MS, range_delay_cb, self);
}

static AntennaMessageInspector *
ensure_inspector (AntennaCapturePage *self)
{
  if (self->inspector == NULL)
    {
      self->inspector = ANTENNA_MESSAGE_INSPECTOR (antenna_message_inspector_new ());
      antenna_message_inspector_set_decoder_context (self->inspector, self->decoder_context);
      adw_bin_set_child (self->inspector_bin, GTK_WIDGET (self->inspector));
    }
  return self->inspector;
}

static void
on_tree_selection_cb (AntennaCapturePage *self)
{
  AntennaTopicNode *node = antenna_topic_tree_view_get_selected_node (self->tree_view);

  if (node != NULL)
    antenna_message_inspector_show_node (ensure_inspector (self), node);
}

static void
on_log_selection_cb (AntennaCapturePage *self)
{
  AntennaMessage *message = antenna_message_log_view_get_selected_message (self->log_view);

  if (message != NULL)
    antenna_message_inspector_show (ensure_inspector (self), message,
                                    antenna_topic_tree_lookup (self->tree, antenna_message_get_topic (message)));
}

/* Search */

static void
on_search_changed_cb (AntennaCapturePage *self)
{
  if (self->setting_search)
    return;
  antenna_capture_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Replay */

static char *
describe_client (AntennaClient *client)
{
  AntennaProfile *profile = antenna_client_get_profile (client);

  /* TRANSLATORS: a connection's name, then its broker: "Plant Floor (broker.example:1883)" */
  return g_strdup_printf (_("%s (%s:%u)"), antenna_profile_get_name (profile),
                          antenna_profile_get_host (profile), antenna_profile_get_port (profile));
}

static AntennaClient *
dialog_client (AntennaCapturePage *self)
{
  guint position = gtk_drop_down_get_selected (self->dialog_clients);

  if (self->dialog_model == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_list_model_get_item (self->dialog_model, position);
}

static void
update_dialog_body (AntennaCapturePage *self)
{
  g_autoptr(AntennaClient) client = dialog_client (self);
  g_autofree char *name = g_filename_display_basename (self->path);
  g_autofree char *broker = NULL;
  g_autofree char *body = NULL;
  AntennaProfile *profile;

  if (client == NULL)
    return;

  /* The broker, named: a replay never goes where nobody chose. */
  profile = antenna_client_get_profile (client);
  broker = g_strdup_printf ("%s:%u", antenna_profile_get_host (profile), antenna_profile_get_port (profile));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%llu message of “%s” will be published to the broker %s, through the connection “%s”: everyone subscribed there receives it.",
                                       "%llu messages of “%s” will be published to the broker %s, through the connection “%s”: everyone subscribed there receives them.",
                                       (gulong) MIN ((guint64) self->replay_total, G_MAXULONG)),
                          (unsigned long long) self->replay_total, name, broker, antenna_profile_get_name (profile));
  adw_message_dialog_set_body (self->dialog, body);
}

static void
update_replay_bar (AntennaCapturePage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *target = self->replay_client != NULL ? describe_client (self->replay_client) : NULL;
  guint64 done;

  if (self->replay == NULL)
    return;

  done = antenna_capture_replay_get_n_done (self->replay);
  text = g_strdup_printf (_("Replaying into %s: %llu of %llu"), target,
                          (unsigned long long) done, (unsigned long long) self->replay_total);
  gtk_label_set_text (self->replay_label, text);
  gtk_progress_bar_set_fraction (self->replay_progress,
                                 self->replay_total > 0 ? (double) done / self->replay_total : 1.0);
}

static void
on_replay_progress_cb (AntennaCapturePage *self)
{
  update_replay_bar (self);
}

static void
on_replayed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AntennaCapturePage) self = user_data;
  AntennaCaptureReplay *replay = ANTENNA_CAPTURE_REPLAY (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = describe_client (self->replay_client);
  g_autofree char *text = NULL;
  guint64 done = antenna_capture_replay_get_n_done (replay);

  if (!antenna_capture_replay_run_finish (replay, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup_printf (_("Replay cancelled: %llu messages were published into %s."),
                                (unsigned long long) done, target);
      else
        {
          text = g_strdup_printf (_("Replay stopped after %llu messages: %s"), (unsigned long long) done, error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->replay_box), "error");
        }
    }
  else
    text = g_strdup_printf (_("Replayed %llu messages into %s."), (unsigned long long) done, target);

  g_clear_pointer (&self->pause_binding, g_binding_unbind);
  g_signal_handlers_disconnect_by_data (replay, self);
  g_clear_object (&self->replay);
  g_clear_object (&self->replay_client);
  g_clear_object (&self->replay_cancellable);
  gtk_label_set_text (self->replay_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_pause), FALSE);
  gtk_button_set_label (self->replay_button, _("_Close"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.replay", TRUE);
}

static void
on_replay_button_clicked_cb (AntennaCapturePage *self)
{
  if (self->replay_cancellable != NULL)
    g_cancellable_cancel (self->replay_cancellable);
  else
    gtk_revealer_set_reveal_child (self->replay_revealer, FALSE);
}

static void
start_replay (AntennaCapturePage *self,
              AntennaClient        *client)
{
  g_autoptr(GError) error = NULL;
  AntennaCaptureQuery query;
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->dialog_rewrite_from));
  guint speed = gtk_drop_down_get_selected (self->dialog_speed);

  self->replay = antenna_capture_replay_new (self->path, client, &error);
  if (self->replay == NULL)
    {
      gtk_label_set_text (self->replay_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->replay_box), "error");
      gtk_revealer_set_reveal_child (self->replay_revealer, TRUE);
      return;
    }

  antenna_capture_query_init (&query);
  query.time_from = self->from;
  query.time_to = self->to;
  query.text = self->search;
  antenna_capture_replay_set_query (self->replay, &query);
  /* The speeds the dialog offers: as recorded, ten times, as fast as it goes. */
  antenna_capture_replay_set_speed (self->replay, speed == 0 ? 1.0 : speed == 1 ? 10.0 : 0);
  antenna_capture_replay_set_clear_retain (self->replay, gtk_check_button_get_active (self->dialog_clear_retain));
  if (from[0] != '\0')
    antenna_capture_replay_set_rewrite (self->replay, from,
                                        gtk_editable_get_text (GTK_EDITABLE (self->dialog_rewrite_to)));

  self->replay_client = g_object_ref (client);
  self->replay_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->replay, "notify::n-done", G_CALLBACK (on_replay_progress_cb), self, G_CONNECT_SWAPPED);
  gtk_toggle_button_set_active (self->replay_pause, FALSE);
  self->pause_binding = g_object_bind_property (self->replay_pause, "active", self->replay, "paused", G_BINDING_DEFAULT);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_pause), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->replay_box), "error");
  gtk_button_set_label (self->replay_button, _("_Cancel"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.replay", FALSE);
  update_replay_bar (self);
  gtk_revealer_set_reveal_child (self->replay_revealer, TRUE);
  antenna_export_bar_dismiss (self->export_bar);

  antenna_capture_replay_run_async (self->replay, self->replay_cancellable, on_replayed_cb, g_object_ref (self));
}

static void
on_dialog_response_cb (AdwMessageDialog     *dialog,
                       const char           *response,
                       AntennaCapturePage *self)
{
  g_autoptr(AntennaClient) client = dialog_client (self);

  if (g_str_equal (response, "replay") && client != NULL &&
      antenna_client_get_state (client) == ANTENNA_CLIENT_STATE_CONNECTED)
    start_replay (self, client);

  self->dialog = NULL;
  g_clear_object (&self->dialog_model);
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
replay_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(AntennaCaptureReader) reader = NULL;
  const char *speeds[] = { N_("At the Recorded Pace"), N_("Ten Times Faster"), N_("As Fast as the Broker Takes Them"), NULL };
  g_autoptr(GtkStringList) speed_names = gtk_string_list_new (NULL);
  AntennaCaptureQuery query;
  GtkWidget *box;

  if (self->dialog != NULL || self->replay != NULL)
    return;

  g_clear_object (&self->dialog_model);
  if (self->clients != NULL)
    self->dialog_model = g_object_ref (self->clients);
  else if (root != NULL && ANTENNA_IS_WINDOW (root))
    self->dialog_model = antenna_window_dup_connected_clients (ANTENNA_WINDOW (root));
  else
    self->dialog_model = G_LIST_MODEL (g_list_store_new (ANTENNA_TYPE_CLIENT));

  self->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                             _("Replay the Capture?"), NULL));
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (on_dialog_response_cb), self, 0);

  if (g_list_model_get_n_items (self->dialog_model) == 0)
    {
      adw_message_dialog_set_heading (self->dialog, _("No Connection to Replay Into"));
      adw_message_dialog_set_body (self->dialog, _("Connect to the broker to replay into in the main window first."));
      adw_message_dialog_add_response (self->dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (self->dialog));
      return;
    }

  /* What the range selects now. */
  antenna_capture_query_init (&query);
  query.time_from = self->from;
  query.time_to = self->to;
  query.text = self->search;
  reader = antenna_capture_reader_open (self->path, NULL);
  self->replay_total = reader != NULL ? antenna_capture_reader_count (reader, &query, NULL) : 0;

  for (guint i = 0; i < g_list_model_get_n_items (self->dialog_model); i++)
    {
      g_autoptr(AntennaClient) client = g_list_model_get_item (self->dialog_model, i);
      g_autofree char *text = describe_client (client);

      gtk_string_list_append (names, text);
    }
  for (guint i = 0; speeds[i] != NULL; i++)
    gtk_string_list_append (speed_names, _(speeds[i]));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->dialog_clients = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  g_signal_connect_object (self->dialog_clients, "notify::selected", G_CALLBACK (update_dialog_body), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), labelled (_("C_onnection"), GTK_WIDGET (self->dialog_clients)));
  self->dialog_speed = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (speed_names)), NULL));
  gtk_box_append (GTK_BOX (box), labelled (_("_Speed"), GTK_WIDGET (self->dialog_speed)));
  self->dialog_rewrite_from = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->dialog_rewrite_from, _("Topics starting with…"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Rewrite"), GTK_WIDGET (self->dialog_rewrite_from)));
  self->dialog_rewrite_to = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->dialog_rewrite_to, _("…start with this instead"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Into"), GTK_WIDGET (self->dialog_rewrite_to)));
  self->dialog_clear_retain = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("Clear the R_etain Flag")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->dialog_clear_retain));
  adw_message_dialog_set_extra_child (self->dialog, box);

  adw_message_dialog_add_responses (self->dialog, "cancel", _("_Cancel"), "replay", _("_Replay"), NULL);
  adw_message_dialog_set_response_appearance (self->dialog, "replay", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->dialog, "cancel");
  adw_message_dialog_set_close_response (self->dialog, "cancel");
  update_dialog_body (self);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

/* Export */

/* One of replay and export at a time. */
static void
on_export_bar_exporting_cb (AntennaCapturePage *self)
{
  gboolean exporting = antenna_export_bar_get_exporting (self->export_bar);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.export", !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.replay", !exporting);
}

static void
on_export_file_chosen_cb (AntennaCapturePage *self,
                          GFile              *file,
                          int                 format)
{
  antenna_capture_page_export (self, file, format);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (widget);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *suggested = NULL;

  if (g_str_has_suffix (base, ANTENNA_CAPTURE_SUFFIX))
    base[strlen (base) - strlen (ANTENNA_CAPTURE_SUFFIX)] = '\0';
  suggested = g_strconcat (base, ".csv", NULL);
  antenna_export_bar_choose_file (self->export_bar, suggested);
}

static void
antenna_capture_page_dispose (GObject *object)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (object);

  stop_loading (self);
  g_clear_handle_id (&self->range_id, g_source_remove);
  if (self->replay_cancellable != NULL)
    g_cancellable_cancel (self->replay_cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_CAPTURE_PAGE);

  G_OBJECT_CLASS (antenna_capture_page_parent_class)->dispose (object);
}

static void
antenna_capture_page_finalize (GObject *object)
{
  AntennaCapturePage *self = ANTENNA_CAPTURE_PAGE (object);

  g_clear_object (&self->tree);
  g_clear_object (&self->log);
  g_clear_object (&self->no_subscriptions);
  g_clear_object (&self->clients);
  g_clear_object (&self->dialog_model);
  g_clear_object (&self->decoder_context);
  g_free (self->path);
  g_free (self->search);

  G_OBJECT_CLASS (antenna_capture_page_parent_class)->finalize (object);
}

static void
antenna_capture_page_class_init (AntennaCapturePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_capture_page_dispose;
  object_class->finalize = antenna_capture_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-capture-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, from_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, to_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, from_scale);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, to_scale);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, status);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, tree_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, log_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, inspector_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_box);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_progress);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_pause);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, replay_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaCapturePage, export_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_replay_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "capture.replay", NULL, replay_action);
  gtk_widget_class_install_action (widget_class, "capture.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "page.search", NULL);
}

static void
antenna_capture_page_init (AntennaCapturePage *self)
{
  self->tree = antenna_topic_tree_new (ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT);
  antenna_topic_tree_set_count_rates (self->tree, FALSE);
  self->log = antenna_message_log_new (LOG_LIMIT);
  self->no_subscriptions = g_list_store_new (G_TYPE_OBJECT);
  /* No profile: the decoders a capture can use are those that need no
   * settings (detection, Sparkplug B on spBv1.0/ topics). */
  self->decoder_context = antenna_decoder_context_new (NULL);

  g_type_ensure (ANTENNA_TYPE_EXPORT_BAR);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->export_bar, "notify::exporting", G_CALLBACK (on_export_bar_exporting_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export_bar, "file-chosen", G_CALLBACK (on_export_file_chosen_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_scale_set_format_value_func (self->from_scale, format_time, NULL, NULL);
  gtk_scale_set_format_value_func (self->to_scale, format_time, NULL, NULL);

  self->tree_view = ANTENNA_TOPIC_TREE_VIEW (antenna_topic_tree_view_new (self->tree));
  antenna_topic_tree_view_set_decoder_context (self->tree_view, self->decoder_context);
  antenna_topic_tree_view_set_live (self->tree_view, FALSE);
  adw_bin_set_child (self->tree_bin, GTK_WIDGET (self->tree_view));
  g_signal_connect_object (self->tree_view, "notify::selected-node",
                           G_CALLBACK (on_tree_selection_cb), self, G_CONNECT_SWAPPED);

  self->log_view = ANTENNA_MESSAGE_LOG_VIEW (antenna_message_log_view_new (self->log,
                                                                           G_LIST_MODEL (self->no_subscriptions)));
  antenna_message_log_view_set_decoder_context (self->log_view, self->decoder_context);
  antenna_message_log_view_set_live (self->log_view, FALSE);
  adw_bin_set_child (self->log_bin, GTK_WIDGET (self->log_view));
  g_signal_connect_object (self->log_view, "notify::selected-message",
                           G_CALLBACK (on_log_selection_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
antenna_capture_page_new (const char  *path,
                          GError     **error)
{
  g_autoptr(AntennaCaptureReader) reader = NULL;
  AntennaCapturePage *self;
  gint64 first = 0, last = 0;
  gint64 n;

  g_return_val_if_fail (path != NULL, NULL);

  /* Checked (ours, readable) before any page shows. */
  reader = antenna_capture_reader_open (path, error);
  if (reader == NULL)
    return NULL;
  n = antenna_capture_reader_count (reader, NULL, error);
  if (n < 0)
    return NULL;
  antenna_capture_reader_get_time_range (reader, &first, &last, NULL);

  self = g_object_new (ANTENNA_TYPE_CAPTURE_PAGE, NULL);
  self->path = g_strdup (path);
  self->n_total = n;

  self->setting_range = TRUE;
  gtk_adjustment_configure (self->from_adjustment, first, first, MAX (last, first + 1), G_USEC_PER_SEC,
                            60 * G_USEC_PER_SEC, 0);
  gtk_adjustment_configure (self->to_adjustment, MAX (last, first + 1), first, MAX (last, first + 1),
                            G_USEC_PER_SEC, 60 * G_USEC_PER_SEC, 0);
  self->setting_range = FALSE;

  self->from = G_MININT64;
  self->to = G_MAXINT64;
  start_loading (self, reader);

  return GTK_WIDGET (self);
}

const char *
antenna_capture_page_get_path (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->path;
}

char *
antenna_capture_page_dup_title (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return g_filename_display_basename (self->path);
}

char *
antenna_capture_page_dup_subtitle (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Capture, read-only: %'llu message",
                                       "Capture, read-only: %'llu messages",
                                       (gulong) MIN ((guint64) self->n_total, G_MAXULONG)),
                          (unsigned long long) self->n_total);
}

void
antenna_capture_page_set_search (AntennaCapturePage *self,
                                 const char         *text)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_PAGE (self));

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (text);
  /* Setting the entry's text empties it first, which GtkSearchEntry
   * reports at once: not a search of its own. */
  self->setting_search = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  self->setting_search = FALSE;
  start_loading (self, NULL);
}

const char *
antenna_capture_page_get_search (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->search;
}

AntennaMessageInspector *
antenna_capture_page_get_inspector (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return ensure_inspector (self);
}

AntennaTopicTreeView *
antenna_capture_page_get_tree_view (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->tree_view;
}

AntennaMessageLogView *
antenna_capture_page_get_log_view (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->log_view;
}

void
antenna_capture_page_set_range (AntennaCapturePage *self,
                                  gint64                from,
                                  gint64                to)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_PAGE (self));

  self->from = from;
  self->to = to;
  self->setting_range = TRUE;
  gtk_adjustment_set_value (self->from_adjustment, from);
  gtk_adjustment_set_value (self->to_adjustment, to);
  self->setting_range = FALSE;
  start_loading (self, NULL);
}

gint64
antenna_capture_page_get_n_total (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), 0);

  return self->n_total;
}

guint64
antenna_capture_page_get_n_loaded (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), 0);

  return self->n_loaded;
}

gboolean
antenna_capture_page_get_loading (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), FALSE);

  return self->load != NULL;
}

AntennaTopicTree *
antenna_capture_page_get_topic_tree (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->tree;
}

AntennaMessageLog *
antenna_capture_page_get_message_log (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->log;
}

void
antenna_capture_page_set_clients (AntennaCapturePage *self,
                                    GListModel           *clients)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_PAGE (self));

  g_set_object (&self->clients, clients);
}

AdwMessageDialog *
antenna_capture_page_get_dialog (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->dialog;
}

gpointer
antenna_capture_page_get_replay (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), NULL);

  return self->replay;
}

void
antenna_capture_page_export (AntennaCapturePage *self,
                               GFile                *file,
                               int                   format)
{
  AntennaCaptureQuery query;

  g_return_if_fail (ANTENNA_IS_CAPTURE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->replay != NULL)
    return;

  antenna_capture_query_init (&query);
  query.time_from = self->from;
  query.time_to = self->to;
  query.text = self->search;

  /* The bar of a replay that ended gives way to the export's. */
  if (antenna_export_bar_export_capture (self->export_bar, self->path, &query, format, file))
    gtk_revealer_set_reveal_child (self->replay_revealer, FALSE);
}

gboolean
antenna_capture_page_get_exporting (AntennaCapturePage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (self), FALSE);

  return antenna_export_bar_get_exporting (self->export_bar);
}
