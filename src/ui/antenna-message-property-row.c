/* antenna-message-property-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message-property-row"

#include "config.h"

#include "antenna-message-property-row.h"

struct _AntennaMessagePropertyRow
{
  AdwActionRow  parent_instance;

  /* Owned References */
  char         *value;
};

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaMessagePropertyRow, antenna_message_property_row, ADW_TYPE_ACTION_ROW)

static void
antenna_message_property_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_MESSAGE_PROPERTY_ROW);

  G_OBJECT_CLASS (antenna_message_property_row_parent_class)->dispose (object);
}

static void
antenna_message_property_row_finalize (GObject *object)
{
  AntennaMessagePropertyRow *self = ANTENNA_MESSAGE_PROPERTY_ROW (object);

  g_clear_pointer (&self->value, g_free);

  G_OBJECT_CLASS (antenna_message_property_row_parent_class)->finalize (object);
}

static void
antenna_message_property_row_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  AntennaMessagePropertyRow *self = ANTENNA_MESSAGE_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_property_row_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  AntennaMessagePropertyRow *self = ANTENNA_MESSAGE_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      antenna_message_property_row_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_property_row_class_init (AntennaMessagePropertyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_message_property_row_dispose;
  object_class->finalize = antenna_message_property_row_finalize;
  object_class->get_property = antenna_message_property_row_get_property;
  object_class->set_property = antenna_message_property_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-message-property-row.ui");
}

static void
antenna_message_property_row_init (AntennaMessagePropertyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_message_property_row_new (const char *title,
                                  const char *value)
{
  return g_object_new (ANTENNA_TYPE_MESSAGE_PROPERTY_ROW,
                       "title", title,
                       "value", value,
                       NULL);
}

const char *
antenna_message_property_row_get_value (AntennaMessagePropertyRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_PROPERTY_ROW (self), NULL);

  return self->value;
}

void
antenna_message_property_row_set_value (AntennaMessagePropertyRow *self,
                                        const char                *value)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_PROPERTY_ROW (self));

  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}
