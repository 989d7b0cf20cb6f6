/* antenna-connection-log-row.c: one entry of the connection log window
 *
 * Everything it shows is bound in the template; here, the closures that
 * turn a level into an icon and a time into text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-connection-log"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-connection-log-row.h"

struct _AntennaConnectionLogRow
{
  GtkBox                     parent_instance;

  /* Owned References */
  AntennaConnectionLogEntry *entry;
};

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaConnectionLogRow, antenna_connection_log_row, GTK_TYPE_BOX)

static char *
level_icon_name (gpointer                   unused,
                 AntennaConnectionLogLevel  level)
{
  switch (level)
    {
    case ANTENNA_CONNECTION_LOG_LEVEL_ERROR:
      return g_strdup ("dialog-error-symbolic");
    case ANTENNA_CONNECTION_LOG_LEVEL_WARNING:
      return g_strdup ("dialog-warning-symbolic");
    case ANTENNA_CONNECTION_LOG_LEVEL_INFO:
    default:
      return g_strdup ("dialog-information-symbolic");
    }
}

static GStrv
level_css_classes (gpointer                   unused,
                   AntennaConnectionLogLevel  level)
{
  const char *classes[] = { NULL, NULL };

  if (level == ANTENNA_CONNECTION_LOG_LEVEL_ERROR)
    classes[0] = "error";
  else if (level == ANTENNA_CONNECTION_LOG_LEVEL_WARNING)
    classes[0] = "warning";
  else
    classes[0] = "dim-label";

  return g_strdupv ((char **) classes);
}

static char *
format_time (gpointer                   unused,
             AntennaConnectionLogEntry *entry)
{
  return entry ? antenna_connection_log_entry_format_time (entry) : g_strdup ("");
}

static char *
level_name (gpointer                   unused,
            AntennaConnectionLogEntry *entry)
{
  return g_strdup (entry ? antenna_connection_log_entry_get_level_name (entry) : "");
}

static gboolean
has_text (gpointer    unused,
          const char *text)
{
  return text != NULL && *text != '\0';
}

static void
antenna_connection_log_row_dispose (GObject *object)
{
  AntennaConnectionLogRow *self = ANTENNA_CONNECTION_LOG_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_CONNECTION_LOG_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (antenna_connection_log_row_parent_class)->dispose (object);
}

static void
antenna_connection_log_row_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  AntennaConnectionLogRow *self = ANTENNA_CONNECTION_LOG_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_row_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  AntennaConnectionLogRow *self = ANTENNA_CONNECTION_LOG_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      antenna_connection_log_row_set_entry (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_row_class_init (AntennaConnectionLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_connection_log_row_dispose;
  object_class->get_property = antenna_connection_log_row_get_property;
  object_class->set_property = antenna_connection_log_row_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, ANTENNA_TYPE_CONNECTION_LOG_ENTRY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_CONNECTION_LOG_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/antennamqtt/Antenna/antenna-connection-log-row.ui");
  gtk_widget_class_bind_template_callback (widget_class, level_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, level_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, format_time);
  gtk_widget_class_bind_template_callback (widget_class, level_name);
  gtk_widget_class_bind_template_callback (widget_class, has_text);
}

static void
antenna_connection_log_row_init (AntennaConnectionLogRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AntennaConnectionLogEntry *
antenna_connection_log_row_get_entry (AntennaConnectionLogRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ROW (self), NULL);

  return self->entry;
}

void
antenna_connection_log_row_set_entry (AntennaConnectionLogRow   *self,
                                      AntennaConnectionLogEntry *entry)
{
  g_return_if_fail (ANTENNA_IS_CONNECTION_LOG_ROW (self));
  g_return_if_fail (entry == NULL || ANTENNA_IS_CONNECTION_LOG_ENTRY (entry));

  if (g_set_object (&self->entry, entry))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}
