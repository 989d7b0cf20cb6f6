/* antenna-record-bar.c: recording a connection to a capture, and the bar
 * that says so
 *
 * The page's Record toggle binds to :recording. While it records, the bar
 * names the file and counts what is written (once a second); a recording
 * that fails (a full disk, a folder that cannot be written) stops, the bar
 * says why in the error style until dismissed, and the live connection goes
 * on. With :record-automatically the client's every connection is recorded,
 * each to a file of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-record-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-capture.h"
#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-record-bar.h"

struct _AntennaRecordBar
{
  AdwBin            parent_instance;

  /* Template Widgets */
  GtkRevealer      *revealer;    /* the child: not bound (see init) */
  GtkBox           *box;
  GtkLabel         *label;
  GtkButton        *button;

  /* Owned References */
  AntennaClient    *client;
  AntennaCapture   *capture;     /* recording, or NULL */
  char             *path;        /* the current or last capture */
  char             *error;       /* why the last one stopped, or NULL */
  gboolean          started;     /* the last one had begun to write */
  char             *folder;      /* NULL: the default */

  gboolean          record_automatically;
  guint             max_size;    /* MiB, 0: no limit */
  guint             count_id;
};

enum {
  PROP_0,
  PROP_RECORDING,
  PROP_PATH,
  PROP_RECORD_AUTOMATICALLY,
  PROP_MAX_SIZE,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaRecordBar, antenna_record_bar, ADW_TYPE_BIN)

static void
update (AntennaRecordBar *self)
{
  g_autofree char *name = self->path != NULL ? g_path_get_basename (self->path) : NULL;
  g_autofree char *text = NULL;

  if (self->capture != NULL)
    {
      guint64 n = antenna_capture_get_n_written (self->capture);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recording to “%s”: %llu message",
                                           "Recording to “%s”: %llu messages", (gulong) MIN (n, G_MAXULONG)),
                              name, (unsigned long long) n);
      gtk_button_set_label (self->button, _("_Stop"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->box), "error");
    }
  else if (self->error != NULL)
    {
      if (self->started)
        text = g_strdup_printf (_("Recording stopped: %s. What was recorded before is kept."), self->error);
      else
        text = g_strdup_printf (_("Could not start recording: %s."), self->error);
      gtk_button_set_label (self->button, _("_Dismiss"));
      gtk_widget_add_css_class (GTK_WIDGET (self->box), "error");
    }

  gtk_button_set_use_underline (self->button, TRUE);
  if (text != NULL)
    gtk_label_set_text (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), self->path);
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
}

static gboolean
count_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
forget_capture (AntennaRecordBar *self)
{
  if (self->capture == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->capture, self);
  g_clear_object (&self->capture);
  g_clear_handle_id (&self->count_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

static void
on_capture_failed_cb (AntennaCapture   *capture,
                      GError           *error,
                      AntennaRecordBar *self)
{
  g_free (self->error);
  self->error = g_strdup (error->message);
  forget_capture (self);
  update (self);
}

static void
on_stopped_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure said its piece through ::failed already. */
  if (!antenna_capture_stop_finish (ANTENNA_CAPTURE (object), result, &error))
    g_debug ("Capture stopped: %s", error->message);
}

static gboolean
notify_recording_cb (gpointer user_data)
{
  g_object_notify_by_pspec (user_data, properties[PROP_RECORDING]);
  return G_SOURCE_REMOVE;
}

static void
start (AntennaRecordBar *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = self->folder != NULL ? g_strdup (self->folder) : antenna_record_bar_default_folder ();
  AntennaProfile *profile = antenna_client_get_profile (self->client);

  g_clear_pointer (&self->error, g_free);
  self->started = FALSE;
  g_free (self->path);
  self->path = antenna_capture_make_path (folder, antenna_profile_get_name (profile));
  self->capture = antenna_capture_new (self->path, (guint64) self->max_size * 1024 * 1024, &error);
  if (self->capture == NULL)
    {
      self->error = g_strdup (error->message);
      update (self);
      /* The toggle goes back off: after the binding that turned it on,
       * which would not hear a notification made while it sets. */
      g_idle_add_full (G_PRIORITY_DEFAULT, notify_recording_cb, g_object_ref (self), g_object_unref);
      return;
    }

  self->started = TRUE;
  g_signal_connect_object (self->capture, "failed", G_CALLBACK (on_capture_failed_cb), self, 0);
  antenna_capture_attach_client (self->capture, self->client);
  self->count_id = g_timeout_add_seconds (1, count_cb, self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

static void
stop (AntennaRecordBar *self)
{
  if (self->capture == NULL)
    return;

  /* The capture's own task keeps it until what was queued is written. */
  antenna_capture_stop_async (self->capture, NULL, on_stopped_cb, NULL);
  forget_capture (self);
  update (self);
}

static void
maybe_record_automatically (AntennaRecordBar *self)
{
  if (self->record_automatically && self->client != NULL && self->capture == NULL &&
      antenna_client_get_state (self->client) == ANTENNA_CLIENT_STATE_CONNECTED)
    start (self);
}

static void
on_client_state_cb (AntennaRecordBar *self)
{
  /* Each connection of its own when recorded automatically. */
  if (self->record_automatically && antenna_client_get_state (self->client) == ANTENNA_CLIENT_STATE_DISCONNECTED)
    stop (self);
  maybe_record_automatically (self);
}

static void
on_button_clicked_cb (AntennaRecordBar *self)
{
  if (self->capture != NULL)
    antenna_record_bar_set_recording (self, FALSE);
  else
    {
      g_clear_pointer (&self->error, g_free);
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
    }
}

static void
antenna_record_bar_dispose (GObject *object)
{
  AntennaRecordBar *self = ANTENNA_RECORD_BAR (object);

  /* What was queued is still written: the capture ends by itself. */
  stop (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_RECORD_BAR);

  G_OBJECT_CLASS (antenna_record_bar_parent_class)->dispose (object);
}

static void
antenna_record_bar_finalize (GObject *object)
{
  AntennaRecordBar *self = ANTENNA_RECORD_BAR (object);

  g_free (self->path);
  g_free (self->error);
  g_free (self->folder);

  G_OBJECT_CLASS (antenna_record_bar_parent_class)->finalize (object);
}

static void
antenna_record_bar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AntennaRecordBar *self = ANTENNA_RECORD_BAR (object);

  switch (prop_id)
    {
    case PROP_RECORDING:
      g_value_set_boolean (value, self->capture != NULL);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_RECORD_AUTOMATICALLY:
      g_value_set_boolean (value, self->record_automatically);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint (value, self->max_size);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_record_bar_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AntennaRecordBar *self = ANTENNA_RECORD_BAR (object);

  switch (prop_id)
    {
    case PROP_RECORDING:
      antenna_record_bar_set_recording (self, g_value_get_boolean (value));
      break;
    case PROP_RECORD_AUTOMATICALLY:
      if (self->record_automatically != g_value_get_boolean (value))
        {
          self->record_automatically = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          maybe_record_automatically (self);
        }
      break;
    case PROP_MAX_SIZE:
      if (self->max_size != g_value_get_uint (value))
        {
          /* For the next recording. */
          self->max_size = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_FOLDER:
      if (g_strcmp0 (self->folder, g_value_get_string (value)) != 0)
        {
          g_free (self->folder);
          self->folder = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PATH:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_record_bar_class_init (AntennaRecordBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_record_bar_dispose;
  object_class->finalize = antenna_record_bar_finalize;
  object_class->get_property = antenna_record_bar_get_property;
  object_class->set_property = antenna_record_bar_set_property;

  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_AUTOMATICALLY] =
    g_param_spec_boolean ("record-automatically", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* MiB of messages a capture keeps, the oldest dropped past it; 0: all. */
  properties[PROP_MAX_SIZE] =
    g_param_spec_uint ("max-size", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Where captures go; NULL: antenna_record_bar_default_folder(). */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-record-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaRecordBar, box);
  gtk_widget_class_bind_template_child (widget_class, AntennaRecordBar, label);
  gtk_widget_class_bind_template_child (widget_class, AntennaRecordBar, button);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked_cb);
}

static void
antenna_record_bar_init (AntennaRecordBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Not a bound template child: gtk_widget_dispose_template() would unparent
   * it behind AdwBin's back. */
  self->revealer = GTK_REVEALER (adw_bin_get_child (ADW_BIN (self)));
}

void
antenna_record_bar_set_client (AntennaRecordBar *self,
                               AntennaClient    *client)
{
  g_return_if_fail (ANTENNA_IS_RECORD_BAR (self));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (on_client_state_cb), self, G_CONNECT_SWAPPED);
  maybe_record_automatically (self);
}

gboolean
antenna_record_bar_get_recording (AntennaRecordBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_RECORD_BAR (self), FALSE);

  return self->capture != NULL;
}

void
antenna_record_bar_set_recording (AntennaRecordBar *self,
                                  gboolean          recording)
{
  g_return_if_fail (ANTENNA_IS_RECORD_BAR (self));

  if (recording == (self->capture != NULL) || self->client == NULL)
    return;

  if (recording)
    start (self);
  else
    stop (self);
}

const char *
antenna_record_bar_get_path (AntennaRecordBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_RECORD_BAR (self), NULL);

  return self->path;
}

const char *
antenna_record_bar_get_error (AntennaRecordBar *self)
{
  g_return_val_if_fail (ANTENNA_IS_RECORD_BAR (self), NULL);

  return self->error;
}

char *
antenna_record_bar_default_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_DIR_NAME, "captures", NULL);
}
