/* antenna-batch-bar.c: a batch of messages from a JSON Lines file, under way in the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-batch-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-batch-bar.h"
#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-publish-batch.h"

struct _AntennaBatchBar
{
  GtkBox               parent_instance;

  /* Template Widgets */
  GtkLabel            *label;
  GtkButton           *skip_button;
  GtkToggleButton     *pause_button;
  GtkButton           *cancel_button;
  GtkButton           *close_button;
  GtkSpinButton       *rate_spin;
  GtkProgressBar      *progress;

  /* Owned References */
  AntennaPublishBatch *batch;
  GCancellable        *cancellable;
  AntennaClient       *client;
  GFile               *file;
};

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaBatchBar, antenna_batch_bar, GTK_TYPE_BOX)

static void run (AntennaBatchBar *self, gboolean skip_invalid);

static void
set_running (AntennaBatchBar *self,
             gboolean         running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_progress_cb (AntennaBatchBar *self)
{
  g_autofree char *name = g_file_get_basename (self->file);
  g_autofree char *text = NULL;
  g_autofree char *lines = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_lines (self->batch));
  g_autofree char *sent = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_sent (self->batch));
  g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_total (self->batch));
  guint64 n_total = antenna_publish_batch_get_total (self->batch);

  if (antenna_publish_batch_get_validating (self->batch))
    {
      /* TRANSLATORS: checking a file's lines before anything is sent */
      guint64 size = antenna_publish_batch_get_size (self->batch);

      text = g_strdup_printf (_("Checking “%s”: line %s…"), name, lines);
      /* read and checked in a thread: how far into the file */
      if (size > 0)
        gtk_progress_bar_set_fraction (self->progress,
                                       (double) antenna_publish_batch_get_bytes_read (self->batch) / size);
      else
        gtk_progress_bar_pulse (self->progress);
    }
  else
    {
      text = g_strdup_printf (_("Sending “%s”: %s of %s sent"), name, sent, total);
      gtk_progress_bar_set_fraction (self->progress,
                                     n_total > 0 ? (double) antenna_publish_batch_get_sent (self->batch) / n_total : 1);
    }
  if (antenna_publish_batch_get_paused (self->batch))
    {
      char *paused = g_strdup_printf (_("%s (paused)"), text);

      g_free (text);
      text = paused;
    }
  gtk_label_set_label (self->label, text);
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AntennaBatchBar) self = user_data;
  AntennaPublishBatch *batch = ANTENNA_PUBLISH_BATCH (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (self->file);
  g_autofree char *text = NULL;
  g_autofree char *sent = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_sent (batch));
  g_autofree char *failed = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_failed (batch));

  if (batch != self->batch)
    return;   /* an earlier run */

  gtk_widget_remove_css_class (GTK_WIDGET (self->label), "error");
  if (!antenna_publish_batch_run_finish (batch, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup_printf (_("Stopped: %s messages of “%s” sent."), sent, name);
      else
        {
          text = g_strdup (error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->label), "error");
          /* invalid lines: sent only if the person says so */
          gtk_widget_set_visible (GTK_WIDGET (self->skip_button),
                                  antenna_publish_batch_get_invalid_lines (batch)->len > 0 &&
                                  antenna_publish_batch_get_total (batch) > 0);
        }
    }
  else if (antenna_publish_batch_get_failed (batch) > 0)
    {
      text = g_strdup_printf (_("Sent %s messages of “%s”; %s failed: %s"), sent, name, failed,
                              antenna_publish_batch_get_last_error (batch));
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "error");
    }
  else
    text = g_strdup_printf (_("Sent %s messages of “%s”."), sent, name);

  gtk_label_set_label (self->label, text);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
}

static void
run (AntennaBatchBar *self,
     gboolean         skip_invalid)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);

  self->batch = antenna_publish_batch_new (self->client, self->file);
  self->cancellable = g_cancellable_new ();
  antenna_publish_batch_set_skip_invalid (self->batch, skip_invalid);
  antenna_publish_batch_set_rate (self->batch, gtk_spin_button_get_value (self->rate_spin));
  g_signal_connect_object (self->batch, "notify", G_CALLBACK (on_progress_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->skip_button), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->label), "error");
  gtk_toggle_button_set_active (self->pause_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  set_running (self, TRUE);
  antenna_publish_batch_run_async (self->batch, self->cancellable, on_run_cb, g_object_ref (self));
  on_progress_cb (self);
}

static void
on_rate_changed_cb (AntennaBatchBar *self)
{
  /* from the next message on */
  if (self->batch != NULL)
    antenna_publish_batch_set_rate (self->batch, gtk_spin_button_get_value (self->rate_spin));
}

static void
on_pause_toggled_cb (AntennaBatchBar *self)
{
  if (self->batch != NULL)
    antenna_publish_batch_set_paused (self->batch, gtk_toggle_button_get_active (self->pause_button));
}

static void
send_valid_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  run (ANTENNA_BATCH_BAR (widget), TRUE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaBatchBar *self = ANTENNA_BATCH_BAR (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gtk_widget_set_visible (widget, FALSE);
}

static void
antenna_batch_bar_dispose (GObject *object)
{
  AntennaBatchBar *self = ANTENNA_BATCH_BAR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->client);
  g_clear_object (&self->file);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_BATCH_BAR);

  G_OBJECT_CLASS (antenna_batch_bar_parent_class)->dispose (object);
}

static void
antenna_batch_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, antenna_batch_bar_get_running (ANTENNA_BATCH_BAR (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_batch_bar_class_init (AntennaBatchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_batch_bar_dispose;
  object_class->get_property = antenna_batch_bar_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-batch-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, label);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, skip_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, pause_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, close_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaBatchBar, progress);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_rate_changed_cb);

  gtk_widget_class_install_action (widget_class, "batch.send-valid", NULL, send_valid_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.close", NULL, close_action);
}

static void
antenna_batch_bar_init (AntennaBatchBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_batch_bar_new (void)
{
  return g_object_new (ANTENNA_TYPE_BATCH_BAR, NULL);
}

void
antenna_batch_bar_start (AntennaBatchBar *self,
                         AntennaClient   *client,
                         GFile           *file)
{
  g_return_if_fail (ANTENNA_IS_BATCH_BAR (self));
  g_return_if_fail (ANTENNA_IS_CLIENT (client));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->client, client);
  g_set_object (&self->file, file);
  run (self, FALSE);
}

gboolean
antenna_batch_bar_get_running (AntennaBatchBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_BATCH_BAR (self), FALSE);

  return self->cancellable != NULL;
}

const char *
antenna_batch_bar_get_text (AntennaBatchBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_BATCH_BAR (self), NULL);

  return gtk_label_get_label (self->label);
}

AntennaPublishBatch *
antenna_batch_bar_get_batch (AntennaBatchBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_BATCH_BAR (self), NULL);

  return self->batch;
}
