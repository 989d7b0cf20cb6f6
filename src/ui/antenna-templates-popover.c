/* antenna-templates-popover.c: the composer's saved templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-templates-popover"

#include "config.h"

#include "antenna-template-row.h"
#include "antenna-templates-popover.h"

struct _AntennaTemplatesPopover
{
  GtkPopover            parent_instance;

  /* Template Widgets */
  GtkListBox           *list;

  /* Owned References */
  AntennaTemplateStore *store;
  GListModel           *templates;
  char                 *name;
  char                 *error;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_TEMPLATES,
  PROP_NAME,
  PROP_ERROR,
  N_PROPS
};

enum {
  TEMPLATE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaTemplatesPopover, antenna_templates_popover, GTK_TYPE_POPOVER)

static gboolean
is_set (AntennaTemplatesPopover *self,
        const char              *text)
{
  return text != NULL;
}

static void
set_string (AntennaTemplatesPopover  *self,
            char                    **field,
            const char               *text,
            int                       prop_id)
{
  if (g_strcmp0 (*field, text) == 0)
    return;

  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
on_name_activate_cb (AntennaTemplatesPopover *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "composer.save-template", NULL);
}

static void
on_row_activated_cb (AntennaTemplatesPopover *self,
                     GtkListBoxRow           *row)
{
  AntennaTemplate *template = antenna_template_row_get_template (ANTENNA_TEMPLATE_ROW (row));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[TEMPLATE_ACTIVATED], 0, template);
}

static void
on_row_delete_cb (AntennaTemplatesPopover *self,
                  AntennaTemplateRow      *row)
{
  antenna_template_store_remove (self->store, antenna_template_row_get_template (row));
}

static gboolean
on_row_rename_cb (AntennaTemplatesPopover *self,
                  const char              *name,
                  AntennaTemplateRow      *row)
{
  g_autoptr(GError) error = NULL;

  if (!antenna_template_store_rename (self->store, antenna_template_row_get_template (row), name, &error))
    {
      antenna_templates_popover_set_error (self, error->message);
      return FALSE;
    }

  antenna_templates_popover_set_error (self, NULL);
  return TRUE;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = antenna_template_row_new (item);

  g_signal_connect_object (row, "delete", G_CALLBACK (on_row_delete_cb), user_data, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "rename", G_CALLBACK (on_row_rename_cb), user_data, G_CONNECT_SWAPPED);

  return row;
}

static void
antenna_templates_popover_dispose (GObject *object)
{
  AntennaTemplatesPopover *self = ANTENNA_TEMPLATES_POPOVER (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_TEMPLATES_POPOVER);
  g_clear_object (&self->templates);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (antenna_templates_popover_parent_class)->dispose (object);
}

static void
antenna_templates_popover_finalize (GObject *object)
{
  AntennaTemplatesPopover *self = ANTENNA_TEMPLATES_POPOVER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (antenna_templates_popover_parent_class)->finalize (object);
}

static void
antenna_templates_popover_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AntennaTemplatesPopover *self = ANTENNA_TEMPLATES_POPOVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_TEMPLATES:
      g_value_set_object (value, self->templates);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_templates_popover_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  AntennaTemplatesPopover *self = ANTENNA_TEMPLATES_POPOVER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      antenna_templates_popover_set_name (self, g_value_get_string (value));
      break;

    case PROP_ERROR:
      antenna_templates_popover_set_error (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_templates_popover_class_init (AntennaTemplatesPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_templates_popover_dispose;
  object_class->finalize = antenna_templates_popover_finalize;
  object_class->get_property = antenna_templates_popover_get_property;
  object_class->set_property = antenna_templates_popover_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ANTENNA_TYPE_TEMPLATE_STORE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TEMPLATES] =
    g_param_spec_object ("templates", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TEMPLATE_ACTIVATED] =
    g_signal_new ("template-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-templates-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaTemplatesPopover, list);
  gtk_widget_class_bind_template_callback (widget_class, is_set);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
antenna_templates_popover_init (AntennaTemplatesPopover *self)
{
  self->name = g_strdup ("");

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_templates_popover_new (void)
{
  return g_object_new (ANTENNA_TYPE_TEMPLATES_POPOVER, NULL);
}

void
antenna_templates_popover_set_store (AntennaTemplatesPopover *self,
                                     AntennaTemplateStore    *store,
                                     GListModel              *templates)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATES_POPOVER (self));
  g_return_if_fail (store == NULL || ANTENNA_IS_TEMPLATE_STORE (store));
  g_return_if_fail (templates == NULL || G_IS_LIST_MODEL (templates));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  if (g_set_object (&self->templates, templates))
    {
      gtk_list_box_bind_model (self->list, templates, templates != NULL ? create_row : NULL, self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATES]);
    }
}

const char *
antenna_templates_popover_get_name (AntennaTemplatesPopover *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATES_POPOVER (self), NULL);

  return self->name;
}

void
antenna_templates_popover_set_name (AntennaTemplatesPopover *self,
                                    const char              *name)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATES_POPOVER (self));

  set_string (self, &self->name, name != NULL ? name : "", PROP_NAME);
}

const char *
antenna_templates_popover_get_error (AntennaTemplatesPopover *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATES_POPOVER (self), NULL);

  return self->error;
}

void
antenna_templates_popover_set_error (AntennaTemplatesPopover *self,
                                     const char              *error)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATES_POPOVER (self));

  set_string (self, &self->error, error, PROP_ERROR);
}
