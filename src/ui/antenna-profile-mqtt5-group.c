/* antenna-profile-mqtt5-group.c
 *
 * The user properties are rows of entries: the profile gets them all again
 * at every edit (those with an empty name and value left out), and the rows
 * are made from the profile once, when it is set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-profile-mqtt5-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-mqtt5-group.h"
#include "antenna-properties.h"
#include "antenna-user-property-row.h"

struct _AntennaProfileMqtt5Group
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  GtkAdjustment             *receive_maximum_adjustment;
  GtkAdjustment             *maximum_packet_size_adjustment;
  GtkAdjustment             *topic_alias_maximum_adjustment;
  GtkSwitch                 *response_information_switch;
  GtkSwitch                 *problem_information_switch;
  GtkBox                    *user_properties_box;
};

G_DEFINE_FINAL_TYPE (AntennaProfileMqtt5Group, antenna_profile_mqtt5_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

/* The automatic version tries MQTT 5 first. */
static gboolean
is_mqtt_5 (AntennaProfileMqtt5Group *self,
           AntennaMqttVersion        version)
{
  return version != ANTENNA_MQTT_VERSION_3_1_1;
}

/* In C, not bound in the template: a binding of the template's own property
 * to an expression on itself ends, in GTK 4.8, in a weak reference removed
 * twice at dispose. */
static void
update_description (AntennaProfileMqtt5Group *self,
                    GParamSpec               *pspec,
                    AntennaProfile           *profile)
{
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         antenna_profile_get_mqtt_version (profile) == ANTENNA_MQTT_VERSION_3_1_1
                                         ? _("Not sent: this connection uses MQTT 3.1.1")
                                         : _("Limits and information this client asks for when it connects with MQTT 5."));
}

static void
update_user_properties (AntennaProfileMqtt5Group *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  g_autoptr(AntennaProperties) props = antenna_properties_new ();

  if (profile == NULL)
    return;

  antenna_user_property_rows_collect (GTK_WIDGET (self->user_properties_box), props);
  antenna_profile_set_connect_properties (profile, props);
}

static void
on_user_property_remove_cb (AntennaProfileMqtt5Group *self,
                            GtkWidget                *row)
{
  gtk_box_remove (self->user_properties_box, row);
  update_user_properties (self);
}

static GtkWidget *
add_row (AntennaProfileMqtt5Group *self,
         const char               *name,
         const char               *value)
{
  GtkWidget *row = antenna_user_property_row_new (name, value);

  g_signal_connect_object (row, "remove", G_CALLBACK (on_user_property_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::name", G_CALLBACK (update_user_properties), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::value", G_CALLBACK (update_user_properties), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->user_properties_box, row);
  return row;
}

static void
add_user_property_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AntennaProfileMqtt5Group *self = ANTENNA_PROFILE_MQTT5_GROUP (widget);

  gtk_widget_grab_focus (add_row (self, NULL, NULL));
}

static void
antenna_profile_mqtt5_group_bind (AntennaProfileEditorGroup *group,
                                  AntennaProfile            *profile)
{
  AntennaProfileMqtt5Group *self = ANTENNA_PROFILE_MQTT5_GROUP (group);
  AntennaProperties *props = antenna_profile_get_connect_properties (profile);

  antenna_profile_editor_group_bind_property (group, "receive-maximum", self->receive_maximum_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "maximum-packet-size", self->maximum_packet_size_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "topic-alias-maximum", self->topic_alias_maximum_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "request-response-information", self->response_information_switch, "active");
  antenna_profile_editor_group_bind_property (group, "request-problem-information", self->problem_information_switch, "active");

  update_description (self, NULL, profile);
  g_signal_connect_object (profile, "notify::mqtt-version", G_CALLBACK (update_description), self, G_CONNECT_SWAPPED);

  if (props != NULL)
    for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
      add_row (self, g_ptr_array_index (props->user_properties, i), g_ptr_array_index (props->user_properties, i + 1));
}

static void
antenna_profile_mqtt5_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_MQTT5_GROUP);

  G_OBJECT_CLASS (antenna_profile_mqtt5_group_parent_class)->dispose (object);
}

static void
antenna_profile_mqtt5_group_class_init (AntennaProfileMqtt5GroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_mqtt5_group_dispose;
  group_class->bind = antenna_profile_mqtt5_group_bind;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-mqtt5-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, receive_maximum_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, maximum_packet_size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, topic_alias_maximum_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, response_information_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, problem_information_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileMqtt5Group, user_properties_box);
  /* For the tests, which find them by name. */
  gtk_widget_class_bind_template_child_full (widget_class, "receive_maximum_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "user_properties_row", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, is_mqtt_5);

  gtk_widget_class_install_action (widget_class, "mqtt5-group.add-user-property", NULL, add_user_property_action);
}

static void
antenna_profile_mqtt5_group_init (AntennaProfileMqtt5Group *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
