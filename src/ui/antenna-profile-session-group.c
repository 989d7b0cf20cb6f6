/* antenna-profile-session-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-session-group"

#include "config.h"

#include "antenna-profile.h"
#include "antenna-profile-session-group.h"

struct _AntennaProfileSessionGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  GtkAdjustment             *keepalive_adjustment;
  GtkSwitch                 *clean_start_switch;
  GtkAdjustment             *session_expiry_adjustment;
  GtkAdjustment             *connect_timeout_adjustment;
  GtkSwitch                 *auto_reconnect_switch;
};

G_DEFINE_FINAL_TYPE (AntennaProfileSessionGroup, antenna_profile_session_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

/* Session expiry is an MQTT 5 property (the automatic version tries 5 first). */
static gboolean
is_mqtt_5 (AntennaProfileSessionGroup *self,
           AntennaMqttVersion          version)
{
  return version != ANTENNA_MQTT_VERSION_3_1_1;
}

static void
antenna_profile_session_group_bind (AntennaProfileEditorGroup *group,
                                    AntennaProfile            *profile)
{
  AntennaProfileSessionGroup *self = ANTENNA_PROFILE_SESSION_GROUP (group);

  antenna_profile_editor_group_bind_property (group, "keepalive", self->keepalive_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "clean-start", self->clean_start_switch, "active");
  antenna_profile_editor_group_bind_property (group, "session-expiry", self->session_expiry_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "connect-timeout", self->connect_timeout_adjustment, "value");
  antenna_profile_editor_group_bind_property (group, "auto-reconnect", self->auto_reconnect_switch, "active");
}

static void
antenna_profile_session_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_SESSION_GROUP);

  G_OBJECT_CLASS (antenna_profile_session_group_parent_class)->dispose (object);
}

static void
antenna_profile_session_group_class_init (AntennaProfileSessionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_session_group_dispose;

  group_class->bind = antenna_profile_session_group_bind;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-session-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSessionGroup, keepalive_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSessionGroup, clean_start_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSessionGroup, session_expiry_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSessionGroup, connect_timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSessionGroup, auto_reconnect_switch);
  gtk_widget_class_bind_template_callback (widget_class, is_mqtt_5);
}

static void
antenna_profile_session_group_init (AntennaProfileSessionGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
