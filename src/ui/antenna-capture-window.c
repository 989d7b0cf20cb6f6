/* antenna-capture-window.c: a capture file, read-only, in its own window
 *
 * The topic tree, the message log and the inspector of a connection page,
 * fed from the capture instead of a client: a worker thread with a reader
 * of its own reads the messages of the time range in pages and queues
 * them (a few pages ahead at most, so a capture of millions is never held
 * whole); the main thread takes what is queued every 50 ms, spending at
 * most a few milliseconds, into the tree (bounded histories) and the log
 * (bounded), as a live page does with the client's batches. Moving the
 * From or To scale loads the range again: the tree shows the topics as they
 * were at To.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-capture-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-capture.h"
#include "antenna-capture-reader.h"
#include "antenna-capture-window.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-tree-view.h"

#define PAGE_SIZE        2000
#define PAGES_AHEAD      4
#define DRAIN_INTERVAL   50
#define DRAIN_BUDGET_US  8000
#define RANGE_DELAY_MS   300
#define LOG_LIMIT        10000

/* What the loading thread shares with the window (by reference: either may
 * go first). */
typedef struct
{
  gatomicrefcount  ref_count;
  GAsyncQueue     *pages;       /* of GPtrArray; an empty one at the end */
  GCancellable    *cancellable;
  GError          *error;       /* set before the end mark */
} Load;

struct _AntennaCaptureWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template Widgets */
  AdwWindowTitle        *title;
  GtkAdjustment         *from_adjustment;
  GtkAdjustment         *to_adjustment;
  GtkScale              *from_scale;
  GtkScale              *to_scale;
  GtkLabel              *status;
  AdwBin                *tree_bin;
  AdwBin                *log_bin;
  AdwBin                *inspector_bin;

  /* Borrowed References */
  AntennaTopicTreeView  *tree_view;
  AntennaMessageLogView *log_view;
  AntennaMessageInspector *inspector;

  /* Owned References */
  char                  *path;
  AntennaTopicTree      *tree;
  AntennaMessageLog     *log;
  GListStore            *no_subscriptions;
  Load                  *load;

  gint64                 n_total;
  guint64                n_loaded;
  gint64                 from;
  gint64                 to;
  guint                  drain_id;
  guint                  tick_id;
  gboolean               dirty;
  guint                  range_id;
  gboolean               setting_range;
};

G_DEFINE_FINAL_TYPE (AntennaCaptureWindow, antenna_capture_window, ADW_TYPE_APPLICATION_WINDOW)

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
  Load                *load;
  char                *path;
  AntennaCaptureQuery  query;
} LoadJob;

static gpointer
load_thread (gpointer user_data)
{
  LoadJob *job = user_data;
  Load *load = job->load;
  g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (job->path, &load->error);
  AntennaCaptureCursor cursor;

  antenna_capture_cursor_init (&cursor);
  while (reader != NULL && !g_cancellable_is_cancelled (load->cancellable))
    {
      GPtrArray *page;

      /* A few pages ahead of the window at most. */
      if (g_async_queue_length (load->pages) >= PAGES_AHEAD)
        {
          g_usleep (5000);
          continue;
        }

      page = antenna_capture_reader_read_page (reader, &job->query, &cursor, PAGE_SIZE, &load->error);
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
  g_free (job);
  return NULL;
}

static void
update_status (AntennaCaptureWindow *self)
{
  g_autofree char *text = NULL;

  if (self->load != NULL)
    text = g_strdup_printf (_("Loading… %llu"), (unsigned long long) self->n_loaded);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu of %llu message", "%llu of %llu messages",
                                         (gulong) MIN ((guint64) self->n_total, G_MAXULONG)),
                            (unsigned long long) self->n_loaded, (unsigned long long) self->n_total);
  gtk_label_set_text (self->status, text);
}

static void
stop_loading (AntennaCaptureWindow *self)
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
  AntennaCaptureWindow *self = ANTENNA_CAPTURE_WINDOW (widget);
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
ensure_tick (AntennaCaptureWindow *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static gboolean
drain_cb (gpointer user_data)
{
  AntennaCaptureWindow *self = user_data;
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

static void
start_loading (AntennaCaptureWindow *self)
{
  LoadJob *job;
  GThread *thread;

  stop_loading (self);
  antenna_topic_tree_clear (self->tree);
  antenna_message_log_clear (self->log);
  ensure_tick (self);
  self->n_loaded = 0;

  self->load = g_new0 (Load, 1);
  g_atomic_ref_count_init (&self->load->ref_count);
  self->load->pages = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  self->load->cancellable = g_cancellable_new ();

  job = g_new0 (LoadJob, 1);
  job->load = load_ref (self->load);
  job->path = g_strdup (self->path);
  antenna_capture_query_init (&job->query);
  job->query.time_from = self->from;
  job->query.time_to = self->to;

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
  AntennaCaptureWindow *self = user_data;

  self->range_id = 0;
  antenna_capture_window_set_range (self,
                                    (gint64) gtk_adjustment_get_value (self->from_adjustment),
                                    (gint64) gtk_adjustment_get_value (self->to_adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_range_changed_cb (AntennaCaptureWindow *self)
{
  if (self->setting_range)
    return;

  /* Once the scale rests. */
  g_clear_handle_id (&self->range_id, g_source_remove);
  self->range_id = g_timeout_add (RANGE_DELAY_MS, range_delay_cb, self);
}

static AntennaMessageInspector *
ensure_inspector (AntennaCaptureWindow *self)
{
  if (self->inspector == NULL)
    {
      self->inspector = ANTENNA_MESSAGE_INSPECTOR (antenna_message_inspector_new ());
      adw_bin_set_child (self->inspector_bin, GTK_WIDGET (self->inspector));
    }
  return self->inspector;
}

static void
on_tree_selection_cb (AntennaCaptureWindow *self)
{
  AntennaTopicNode *node = antenna_topic_tree_view_get_selected_node (self->tree_view);

  if (node != NULL)
    antenna_message_inspector_show_node (ensure_inspector (self), node);
}

static void
on_log_selection_cb (AntennaCaptureWindow *self)
{
  AntennaMessage *message = antenna_message_log_view_get_selected_message (self->log_view);

  if (message != NULL)
    antenna_message_inspector_show (ensure_inspector (self), message,
                                    antenna_topic_tree_lookup (self->tree, antenna_message_get_topic (message)));
}

static void
antenna_capture_window_dispose (GObject *object)
{
  AntennaCaptureWindow *self = ANTENNA_CAPTURE_WINDOW (object);

  stop_loading (self);
  g_clear_handle_id (&self->range_id, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_CAPTURE_WINDOW);

  G_OBJECT_CLASS (antenna_capture_window_parent_class)->dispose (object);
}

static void
antenna_capture_window_finalize (GObject *object)
{
  AntennaCaptureWindow *self = ANTENNA_CAPTURE_WINDOW (object);

  g_clear_object (&self->tree);
  g_clear_object (&self->log);
  g_clear_object (&self->no_subscriptions);
  g_free (self->path);

  G_OBJECT_CLASS (antenna_capture_window_parent_class)->finalize (object);
}

static void
antenna_capture_window_class_init (AntennaCaptureWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_capture_window_dispose;
  object_class->finalize = antenna_capture_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-capture-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, title);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, from_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, to_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, from_scale);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, to_scale);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, status);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, tree_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, log_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureWindow, inspector_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
}

static void
antenna_capture_window_init (AntennaCaptureWindow *self)
{
  self->tree = antenna_topic_tree_new (ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT);
  self->log = antenna_message_log_new (LOG_LIMIT);
  self->no_subscriptions = g_list_store_new (G_TYPE_OBJECT);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_scale_set_format_value_func (self->from_scale, format_time, NULL, NULL);
  gtk_scale_set_format_value_func (self->to_scale, format_time, NULL, NULL);

  self->tree_view = ANTENNA_TOPIC_TREE_VIEW (antenna_topic_tree_view_new (self->tree));
  adw_bin_set_child (self->tree_bin, GTK_WIDGET (self->tree_view));
  g_signal_connect_object (self->tree_view, "notify::selected-node",
                           G_CALLBACK (on_tree_selection_cb), self, G_CONNECT_SWAPPED);

  self->log_view = ANTENNA_MESSAGE_LOG_VIEW (antenna_message_log_view_new (self->log,
                                                                           G_LIST_MODEL (self->no_subscriptions)));
  adw_bin_set_child (self->log_bin, GTK_WIDGET (self->log_view));
  g_signal_connect_object (self->log_view, "notify::selected-message",
                           G_CALLBACK (on_log_selection_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
antenna_capture_window_new (GtkApplication  *application,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(AntennaCaptureReader) reader = NULL;
  AntennaCaptureWindow *self;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  gint64 first = 0, last = 0;
  gint64 n;

  g_return_val_if_fail (path != NULL, NULL);

  /* Checked (ours, readable) before any window shows. */
  reader = antenna_capture_reader_open (path, error);
  if (reader == NULL)
    return NULL;
  n = antenna_capture_reader_count (reader, NULL, error);
  if (n < 0)
    return NULL;
  antenna_capture_reader_get_time_range (reader, &first, &last, NULL);

  self = g_object_new (ANTENNA_TYPE_CAPTURE_WINDOW, "application", application, NULL);
  self->path = g_strdup (path);
  self->n_total = n;

  name = g_filename_display_basename (path);
  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_window_title_set_title (self->title, name);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Capture, read-only: %llu message",
                                           "Capture, read-only: %llu messages", (gulong) MIN ((guint64) n, G_MAXULONG)),
                              (unsigned long long) n);
  adw_window_title_set_subtitle (self->title, subtitle);

  self->setting_range = TRUE;
  gtk_adjustment_configure (self->from_adjustment, first, first, MAX (last, first + 1), G_USEC_PER_SEC,
                            60 * G_USEC_PER_SEC, 0);
  gtk_adjustment_configure (self->to_adjustment, MAX (last, first + 1), first, MAX (last, first + 1),
                            G_USEC_PER_SEC, 60 * G_USEC_PER_SEC, 0);
  self->setting_range = FALSE;

  self->from = G_MININT64;
  self->to = G_MAXINT64;
  start_loading (self);

  return GTK_WIDGET (self);
}

const char *
antenna_capture_window_get_path (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), NULL);

  return self->path;
}

void
antenna_capture_window_set_range (AntennaCaptureWindow *self,
                                  gint64                from,
                                  gint64                to)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self));

  self->from = from;
  self->to = to;
  self->setting_range = TRUE;
  gtk_adjustment_set_value (self->from_adjustment, from);
  gtk_adjustment_set_value (self->to_adjustment, to);
  self->setting_range = FALSE;
  start_loading (self);
}

gint64
antenna_capture_window_get_n_total (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), 0);

  return self->n_total;
}

guint64
antenna_capture_window_get_n_loaded (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), 0);

  return self->n_loaded;
}

gboolean
antenna_capture_window_get_loading (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), FALSE);

  return self->load != NULL;
}

AntennaTopicTree *
antenna_capture_window_get_topic_tree (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), NULL);

  return self->tree;
}

AntennaMessageLog *
antenna_capture_window_get_message_log (AntennaCaptureWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_WINDOW (self), NULL);

  return self->log;
}

gboolean
antenna_capture_window_can_open (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path != NULL && g_str_has_suffix (path, ANTENNA_CAPTURE_SUFFIX);
}
