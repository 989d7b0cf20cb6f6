/* antenna-template-row.c: one saved publish template in the templates popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-template-row"

#include "config.h"

#include "antenna-template-row.h"

struct _AntennaTemplateRow
{
  GtkListBoxRow     parent_instance;

  /* Template Widgets */
  GtkEditableLabel *name_label;

  /* Owned References */
  AntennaTemplate  *template;
};

enum {
  PROP_0,
  PROP_TEMPLATE,
  N_PROPS
};

enum {
  DELETE,
  RENAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaTemplateRow, antenna_template_row, GTK_TYPE_LIST_BOX_ROW)

static void
on_name_editing_cb (AntennaTemplateRow *self)
{
  /* A rename refills the list: this row may go while the signal runs. */
  g_autoptr(AntennaTemplateRow) hold = g_object_ref (self);
  gboolean renamed = FALSE;

  if (gtk_editable_label_get_editing (self->name_label) || self->template == NULL)
    return;

  g_signal_emit (self, signals[RENAME], 0, gtk_editable_get_text (GTK_EDITABLE (self->name_label)), &renamed);
  if (!renamed)
    gtk_editable_set_text (GTK_EDITABLE (self->name_label), antenna_template_get_name (self->template));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[DELETE], 0);
}

static void
antenna_template_row_dispose (GObject *object)
{
  AntennaTemplateRow *self = ANTENNA_TEMPLATE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_TEMPLATE_ROW);
  g_clear_object (&self->template);

  G_OBJECT_CLASS (antenna_template_row_parent_class)->dispose (object);
}

static void
antenna_template_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaTemplateRow *self = ANTENNA_TEMPLATE_ROW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_template_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaTemplateRow *self = ANTENNA_TEMPLATE_ROW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      if (g_set_object (&self->template, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_template_row_class_init (AntennaTemplateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_template_row_dispose;
  object_class->get_property = antenna_template_row_get_property;
  object_class->set_property = antenna_template_row_set_property;

  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         ANTENNA_TYPE_TEMPLATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DELETE] =
    g_signal_new ("delete",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[RENAME] =
    g_signal_new ("rename",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  g_type_ensure (ANTENNA_TYPE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-template-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaTemplateRow, name_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_editing_cb);

  gtk_widget_class_install_action (widget_class, "template-row.delete", NULL, delete_action);
}

static void
antenna_template_row_init (AntennaTemplateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_template_row_new (AntennaTemplate *template)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (template), NULL);

  return g_object_new (ANTENNA_TYPE_TEMPLATE_ROW, "template", template, NULL);
}

AntennaTemplate *
antenna_template_row_get_template (AntennaTemplateRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_ROW (self), NULL);

  return self->template;
}
