/* antenna-user-property-row.c: one MQTT 5 user property, a name and a value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-user-property-row"

#include "config.h"

#include "antenna-user-property-row.h"

struct _AntennaUserPropertyRow
{
  GtkBox    parent_instance;

  /* Template Widgets */
  GtkEntry *name_entry;

  /* Owned References */
  char     *name;
  char     *value;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  N_PROPS
};

enum {
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaUserPropertyRow, antenna_user_property_row, GTK_TYPE_BOX)

static void
set_string (AntennaUserPropertyRow  *self,
            char                   **field,
            const char              *text,
            GParamSpec              *pspec)
{
  if (text == NULL)
    text = "";

  if (g_strcmp0 (*field, text) == 0)
    return;

  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[REMOVE], 0);
}

static gboolean
antenna_user_property_row_grab_focus (GtkWidget *widget)
{
  AntennaUserPropertyRow *self = ANTENNA_USER_PROPERTY_ROW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
antenna_user_property_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_USER_PROPERTY_ROW);

  G_OBJECT_CLASS (antenna_user_property_row_parent_class)->dispose (object);
}

static void
antenna_user_property_row_finalize (GObject *object)
{
  AntennaUserPropertyRow *self = ANTENNA_USER_PROPERTY_ROW (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);

  G_OBJECT_CLASS (antenna_user_property_row_parent_class)->finalize (object);
}

static void
antenna_user_property_row_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AntennaUserPropertyRow *self = ANTENNA_USER_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_user_property_row_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  AntennaUserPropertyRow *self = ANTENNA_USER_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      set_string (self, &self->name, g_value_get_string (value), pspec);
      break;

    case PROP_VALUE:
      set_string (self, &self->value, g_value_get_string (value), pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_user_property_row_class_init (AntennaUserPropertyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_user_property_row_dispose;
  object_class->finalize = antenna_user_property_row_finalize;
  object_class->get_property = antenna_user_property_row_get_property;
  object_class->set_property = antenna_user_property_row_set_property;

  widget_class->grab_focus = antenna_user_property_row_grab_focus;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-user-property-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaUserPropertyRow, name_entry);

  gtk_widget_class_install_action (widget_class, "user-property-row.remove", NULL, remove_action);
}

static void
antenna_user_property_row_init (AntennaUserPropertyRow *self)
{
  self->name = g_strdup ("");
  self->value = g_strdup ("");

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_user_property_row_new (const char *name,
                               const char *value)
{
  return g_object_new (ANTENNA_TYPE_USER_PROPERTY_ROW,
                       "name", name,
                       "value", value,
                       NULL);
}

const char *
antenna_user_property_row_get_name (AntennaUserPropertyRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_USER_PROPERTY_ROW (self), NULL);

  return self->name;
}

const char *
antenna_user_property_row_get_value (AntennaUserPropertyRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_USER_PROPERTY_ROW (self), NULL);

  return self->value;
}

void
antenna_user_property_rows_collect (GtkWidget         *box,
                                    AntennaProperties *props)
{
  g_return_if_fail (GTK_IS_WIDGET (box));
  g_return_if_fail (props != NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AntennaUserPropertyRow *row = ANTENNA_USER_PROPERTY_ROW (child);
      const char *name = antenna_user_property_row_get_name (row);
      const char *value = antenna_user_property_row_get_value (row);

      if (name[0] != '\0' || value[0] != '\0')
        antenna_properties_add_user_property (props, name, value);
    }
}
