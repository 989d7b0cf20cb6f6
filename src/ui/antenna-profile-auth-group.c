/* antenna-profile-auth-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-auth-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-auth-group.h"

struct _AntennaProfileAuthGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwEntryRow               *username_row;
  AdwEntryRow               *password_row;
  GtkSwitch                 *remember_switch;
};

G_DEFINE_FINAL_TYPE (AntennaProfileAuthGroup, antenna_profile_auth_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

/* GTK 4.8 cannot bind the group's own description in its template. */
static void
update_description (AntennaProfileAuthGroup *self)
{
  AntennaProfileEditorGroup *group = ANTENNA_PROFILE_EDITOR_GROUP (self);
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (group);

  /* A password is worth protecting even from a test broker on the LAN. */
  if (antenna_profile_sends_password_in_clear (profile))
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("This transport is not encrypted: the password can be read by anyone on the network. Use TLS for a broker on another machine."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), NULL);
}

static void
antenna_profile_auth_group_bind (AntennaProfileEditorGroup *group,
                                 AntennaProfile            *profile)
{
  AntennaProfileAuthGroup *self = ANTENNA_PROFILE_AUTH_GROUP (group);

  antenna_profile_editor_group_bind_property (group, "username", self->username_row, "text");
  antenna_profile_editor_group_bind_property (group, "save-password", self->remember_switch, "active");

  g_signal_connect_object (profile, "notify::transport",
                           G_CALLBACK (update_description), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::host",
                           G_CALLBACK (update_description), self,
                           G_CONNECT_SWAPPED);
  update_description (self);
}

static void
antenna_profile_auth_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_AUTH_GROUP);

  G_OBJECT_CLASS (antenna_profile_auth_group_parent_class)->dispose (object);
}

static void
antenna_profile_auth_group_class_init (AntennaProfileAuthGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_auth_group_dispose;

  group_class->bind = antenna_profile_auth_group_bind;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-auth-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, username_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, remember_switch);
}

static void
antenna_profile_auth_group_init (AntennaProfileAuthGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
antenna_profile_auth_group_get_password (AntennaProfileAuthGroup *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_AUTH_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
antenna_profile_auth_group_set_password (AntennaProfileAuthGroup *self,
                                         const char              *password)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_AUTH_GROUP (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
}
