/* antenna-export-bar.c: an export of messages under way: progress, Cancel, how it ended
 *
 * The bar of the live log's Export Messages… and of a capture page's
 * Export…: both write through the capture exporter on a thread
 * (antenna-capture-export.c) and show the same progress and sentences, so
 * they share this one widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-export-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-export-bar.h"

struct _AntennaExportBar
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkRevealer    *revealer;
  GtkLabel       *label;
  GtkProgressBar *progress;
  GtkButton      *button;

  /* Owned References */
  GCancellable   *cancellable;    /* while an export runs */
  GFile          *file;           /* likewise */
  GtkFileChooserNative *chooser;
};

enum {
  PROP_0,
  PROP_EXPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaExportBar, antenna_export_bar, GTK_TYPE_WIDGET)

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  AntennaExportBar *self = user_data;
  g_autofree char *text = NULL;

  /* A report the thread queued before it ended may come after the end. */
  if (self->file == NULL)
    return;
  text = antenna_capture_export_progress_text (self->file, done, total);
  gtk_label_set_text (self->label, text);
  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 1.0);
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AntennaExportBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = g_steal_pointer (&self->file);

  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
  /* The bar went away while the thread ran (dispose cancelled it). */
  if (self->label == NULL)
    return;

  if (!antenna_capture_export_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "error");
  text = antenna_capture_export_result_text (file, error);
  gtk_label_set_text (self->label, text);
  gtk_button_set_label (self->button, _("_Close"));
}

static void
on_button_clicked_cb (AntennaExportBar *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

static void
on_chooser_response_cb (AntennaExportBar     *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_signal_emit (self, signals[FILE_CHOSEN], 0, file, (int) antenna_capture_format_for_file (file));
}

static void
close_chooser (AntennaExportBar *self)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

/* Shows the bar for an export of @total messages (0: not known yet) to
 * @file; FALSE when one runs already. */
static gboolean
begin (AntennaExportBar *self,
       GFile            *file,
       guint64           total)
{
  if (self->cancellable != NULL)
    return FALSE;

  self->cancellable = g_cancellable_new ();
  self->file = g_object_ref (file);
  gtk_widget_remove_css_class (GTK_WIDGET (self->label), "error");
  gtk_button_set_label (self->button, _("_Cancel"));
  on_progress (0, total, self);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
  return TRUE;
}

static void
antenna_export_bar_dispose (GObject *object)
{
  AntennaExportBar *self = ANTENNA_EXPORT_BAR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_chooser (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_EXPORT_BAR);

  G_OBJECT_CLASS (antenna_export_bar_parent_class)->dispose (object);
}

static void
antenna_export_bar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AntennaExportBar *self = ANTENNA_EXPORT_BAR (object);

  switch (prop_id)
    {
    case PROP_EXPORTING:
      g_value_set_boolean (value, antenna_export_bar_get_exporting (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_export_bar_class_init (AntennaExportBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_export_bar_dispose;
  object_class->get_property = antenna_export_bar_get_property;

  properties[PROP_EXPORTING] =
    g_param_spec_boolean ("exporting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The person chose where to export (a GFile) and so the format
   * (AntennaCaptureFormat, as an int). */
  signals[FILE_CHOSEN] =
    g_signal_new ("file-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-export-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaExportBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaExportBar, label);
  gtk_widget_class_bind_template_child (widget_class, AntennaExportBar, progress);
  gtk_widget_class_bind_template_child (widget_class, AntennaExportBar, button);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked_cb);
}

static void
antenna_export_bar_init (AntennaExportBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Asks where to export, suggesting @suggested_name; the file's name says the
 * format (a name ending in .jsonl is JSON Lines, any other CSV). */
void
antenna_export_bar_choose_file (AntennaExportBar *self,
                                const char       *suggested_name)
{
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) jsonl = gtk_file_filter_new ();
  GtkRoot *root;

  g_return_if_fail (ANTENNA_IS_EXPORT_BAR (self));
  g_return_if_fail (suggested_name != NULL);

  close_chooser (self);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Export Messages"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* TRANSLATORS: the file types of an export; a name ending in .jsonl is JSON Lines, any other CSV. */
  gtk_file_filter_set_name (csv, _("CSV (RFC 4180)"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_set_name (jsonl, _("JSON Lines"));
  gtk_file_filter_add_pattern (jsonl, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), jsonl);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), suggested_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The messages of @query in the capture at @capture_path, read by the
 * exporter's own reader. */
gboolean
antenna_export_bar_export_capture (AntennaExportBar          *self,
                                   const char                *capture_path,
                                   const AntennaCaptureQuery *query,
                                   AntennaCaptureFormat       format,
                                   GFile                     *file)
{
  g_return_val_if_fail (ANTENNA_IS_EXPORT_BAR (self), FALSE);
  g_return_val_if_fail (capture_path != NULL, FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!begin (self, file, 0))
    return FALSE;
  /* The bar stays alive until the export ends (the task holds it). */
  antenna_capture_export_async (capture_path, query, format, file, on_progress, self,
                                self->cancellable, on_exported_cb, g_object_ref (self));
  return TRUE;
}

/* @messages: AntennaMessages, which the thread only reads (they are
 * immutable); the bar takes a reference to the array. */
gboolean
antenna_export_bar_export_messages (AntennaExportBar     *self,
                                    GPtrArray            *messages,
                                    AntennaCaptureFormat  format,
                                    GFile                *file)
{
  g_return_val_if_fail (ANTENNA_IS_EXPORT_BAR (self), FALSE);
  g_return_val_if_fail (messages != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!begin (self, file, messages->len))
    return FALSE;
  antenna_capture_export_messages_async (messages, format, file, on_progress, self,
                                         self->cancellable, on_exported_cb, g_object_ref (self));
  return TRUE;
}

gboolean
antenna_export_bar_get_exporting (AntennaExportBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_EXPORT_BAR (self), FALSE);

  return self->cancellable != NULL;
}

const char *
antenna_export_bar_get_status (AntennaExportBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_EXPORT_BAR (self), NULL);

  return gtk_label_get_text (self->label);
}

void
antenna_export_bar_dismiss (AntennaExportBar *self)
{
  g_return_if_fail (ANTENNA_IS_EXPORT_BAR (self));

  if (self->cancellable == NULL)
    gtk_revealer_set_reveal_child (self->revealer, FALSE);
}
