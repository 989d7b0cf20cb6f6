/* antenna-proto-path-row.c: a .proto file or an import folder of a profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-proto-path-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-proto-path-row.h"

struct _AntennaProtoPathRow
{
  AdwActionRow  parent_instance;

  /* Template Widgets */
  GtkButton    *remove_button;
};

G_DEFINE_FINAL_TYPE (AntennaProtoPathRow, antenna_proto_path_row, ADW_TYPE_ACTION_ROW)

static void
antenna_proto_path_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROTO_PATH_ROW);

  G_OBJECT_CLASS (antenna_proto_path_row_parent_class)->dispose (object);
}

static void
antenna_proto_path_row_class_init (AntennaProtoPathRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_proto_path_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-proto-path-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProtoPathRow, remove_button);
}

static void
antenna_proto_path_row_init (AntennaProtoPathRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_proto_path_row_new (const char *path,
                            const char *remove_action)
{
  AntennaProtoPathRow *self;
  g_autofree char *label = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (remove_action != NULL, NULL);

  self = g_object_new (ANTENNA_TYPE_PROTO_PATH_ROW, "title", path, NULL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove_button), remove_action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", path);
  /* Translators: an accessible name: "Remove /home/me/reading.proto" */
  label = g_strdup_printf (_("Remove %s"), path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return GTK_WIDGET (self);
}

const char *
antenna_proto_path_row_get_path (AntennaProtoPathRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROTO_PATH_ROW (self), NULL);

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
}
