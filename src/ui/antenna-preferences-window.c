/* antenna-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-preferences-window.h"

struct _AntennaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AntennaSettings      *settings;

  AdwComboRow          *color_scheme_row;
  AdwComboRow          *timestamp_format_row;
  GtkAdjustment        *message_log_adjustment;
  GtkAdjustment        *topic_history_adjustment;
  GtkAdjustment        *topic_memory_adjustment;
  GtkAdjustment        *payload_preview_adjustment;
};

G_DEFINE_FINAL_TYPE (AntennaPreferencesWindow, antenna_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* In the order of the rows' models. */
static const AdwColorScheme color_schemes[] = {
  ADW_COLOR_SCHEME_DEFAULT,
  ADW_COLOR_SCHEME_FORCE_LIGHT,
  ADW_COLOR_SCHEME_FORCE_DARK,
};

static const char * const timestamp_formats[] = {
  "time",
  "time-ms",
  "date-time",
  "iso8601",
};

static gboolean
scheme_to_selected (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  AdwColorScheme scheme = g_value_get_enum (from);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (color_schemes[i] == scheme)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }

  g_value_set_uint (to, 0);
  return TRUE;
}

static gboolean
selected_to_scheme (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= G_N_ELEMENTS (color_schemes))
    return FALSE;

  g_value_set_enum (to, color_schemes[selected]);
  return TRUE;
}

static gboolean
format_to_selected (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const char *format = g_value_get_string (from);

  for (guint i = 0; i < G_N_ELEMENTS (timestamp_formats); i++)
    if (g_strcmp0 (timestamp_formats[i], format) == 0)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }

  g_value_set_uint (to, 1);
  return TRUE;
}

static gboolean
selected_to_format (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected >= G_N_ELEMENTS (timestamp_formats))
    return FALSE;

  g_value_set_string (to, timestamp_formats[selected]);
  return TRUE;
}

static gboolean
bytes_to_kib (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_double (to, g_value_get_uint (from) / 1024);
  return TRUE;
}

static gboolean
kib_to_bytes (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_double (from) * 1024);
  return TRUE;
}

static void
antenna_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (antenna_preferences_window_parent_class)->dispose (object);
}

static void
antenna_preferences_window_finalize (GObject *object)
{
  AntennaPreferencesWindow *self = (AntennaPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (antenna_preferences_window_parent_class)->finalize (object);
}

static void
antenna_preferences_window_class_init (AntennaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_preferences_window_dispose;
  object_class->finalize = antenna_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, timestamp_format_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, message_log_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, topic_history_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, topic_memory_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, payload_preview_adjustment);
}

static void
antenna_preferences_window_init (AntennaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_preferences_window_new (GtkWindow       *parent,
                                AntennaSettings *settings)
{
  AntennaPreferencesWindow *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (settings), NULL);

  self = g_object_new (ANTENNA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);

  g_object_bind_property_full (settings, "color-scheme", self->color_scheme_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               scheme_to_selected, selected_to_scheme, NULL, NULL);
  g_object_bind_property_full (settings, "timestamp-format", self->timestamp_format_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               format_to_selected, selected_to_format, NULL, NULL);
  g_object_bind_property (settings, "message-log-limit", self->message_log_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-limit", self->topic_history_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-memory", self->topic_memory_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (settings, "payload-preview-size", self->payload_preview_adjustment, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               bytes_to_kib, kib_to_bytes, NULL, NULL);

  return GTK_WIDGET (self);
}
