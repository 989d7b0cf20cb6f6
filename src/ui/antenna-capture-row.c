/* antenna-capture-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-capture-row.h"

struct _AntennaCaptureRow
{
  GtkListBoxRow       parent_instance;

  /* Template Widgets */
  GtkLabel           *name_label;
  GtkButton          *close_button;

  /* Owned References */
  AntennaCapturePage *page;
};

enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaCaptureRow, antenna_capture_row, GTK_TYPE_LIST_BOX_ROW)

static void
antenna_capture_row_constructed (GObject *object)
{
  AntennaCaptureRow *self = ANTENNA_CAPTURE_ROW (object);
  g_autofree char *name = antenna_capture_page_dup_title (self->page);
  g_autofree char *close_name = NULL;

  G_OBJECT_CLASS (antenna_capture_row_parent_class)->constructed (object);

  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), antenna_capture_page_get_path (self->page));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->close_button), "s",
                                    antenna_capture_page_get_path (self->page));
  /* TRANSLATORS: the accessible name of a capture's Close button; %s is the file's name. */
  close_name = g_strdup_printf (_("Close %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->close_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  close_name, -1);
}

static void
antenna_capture_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_CAPTURE_ROW);

  G_OBJECT_CLASS (antenna_capture_row_parent_class)->dispose (object);
}

static void
antenna_capture_row_finalize (GObject *object)
{
  AntennaCaptureRow *self = ANTENNA_CAPTURE_ROW (object);

  g_clear_object (&self->page);

  G_OBJECT_CLASS (antenna_capture_row_parent_class)->finalize (object);
}

static void
antenna_capture_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AntennaCaptureRow *self = ANTENNA_CAPTURE_ROW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_object (value, self->page);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_capture_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AntennaCaptureRow *self = ANTENNA_CAPTURE_ROW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      self->page = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_capture_row_class_init (AntennaCaptureRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_capture_row_constructed;
  object_class->dispose = antenna_capture_row_dispose;
  object_class->finalize = antenna_capture_row_finalize;
  object_class->get_property = antenna_capture_row_get_property;
  object_class->set_property = antenna_capture_row_set_property;

  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL, ANTENNA_TYPE_CAPTURE_PAGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-capture-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaCaptureRow, close_button);
}

static void
antenna_capture_row_init (AntennaCaptureRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_capture_row_new (AntennaCapturePage *page)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_PAGE (page), NULL);

  return g_object_new (ANTENNA_TYPE_CAPTURE_ROW, "page", page, NULL);
}

AntennaCapturePage *
antenna_capture_row_get_page (AntennaCaptureRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_ROW (self), NULL);

  return self->page;
}
