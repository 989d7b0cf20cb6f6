/* antenna-profile-auth-group.c
 *
 * The user name and the way of signing in are bound to the profile; the
 * password (for Azure IoT Hub, the device key) is not in the profile: the
 * editor reads it from the keyring and stores it there. The SAS token's
 * lifetime is typed as a number and a unit, and goes to the profile in
 * seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-auth-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-auth-group.h"
#include "antenna-sas-token.h"

struct _AntennaProfileAuthGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwComboRow               *method_row;
  AdwEntryRow               *username_row;
  AdwEntryRow               *password_row;
  GtkSwitch                 *remember_switch;
  GtkSpinButton             *lifetime_spin;
  GtkDropDown               *lifetime_unit;
  GtkLabel                  *auth_error;

  /* While the lifetime's widgets are set from the profile. */
  gboolean                   showing_lifetime;
};

G_DEFINE_FINAL_TYPE (AntennaProfileAuthGroup, antenna_profile_auth_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

/* The units of the lifetime's drop-down, in seconds. */
static const guint lifetime_units[] = { 1, 60, 3600, 24 * 3600 };

static AntennaProfile *
get_profile (AntennaProfileAuthGroup *self)
{
  return antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* The spin button's range in @unit: what stays within the profile's bounds. */
static void
set_lifetime_range (AntennaProfileAuthGroup *self,
                    guint                    unit)
{
  gtk_spin_button_set_range (self->lifetime_spin,
                             (ANTENNA_PROFILE_SAS_LIFETIME_MIN + unit - 1) / unit,
                             ANTENNA_PROFILE_SAS_LIFETIME_MAX / unit);
}

/* The profile's lifetime in the unit shown, when it is a whole number of
 * it (the one a person chose stays), else in the largest unit it is. */
static void
show_lifetime (AntennaProfileAuthGroup *self)
{
  guint lifetime = antenna_profile_get_sas_token_lifetime (get_profile (self));
  guint i = gtk_drop_down_get_selected (self->lifetime_unit);

  if (i >= G_N_ELEMENTS (lifetime_units) || lifetime % lifetime_units[i] != 0)
    {
      i = G_N_ELEMENTS (lifetime_units) - 1;
      while (i > 0 && lifetime % lifetime_units[i] != 0)
        i--;
    }

  self->showing_lifetime = TRUE;
  gtk_drop_down_set_selected (self->lifetime_unit, i);
  set_lifetime_range (self, lifetime_units[i]);
  gtk_spin_button_set_value (self->lifetime_spin, lifetime / lifetime_units[i]);
  self->showing_lifetime = FALSE;
}

static void
on_lifetime_changed_cb (AntennaProfileAuthGroup *self)
{
  guint selected = gtk_drop_down_get_selected (self->lifetime_unit);
  guint64 lifetime;

  if (self->showing_lifetime || get_profile (self) == NULL || selected >= G_N_ELEMENTS (lifetime_units))
    return;

  lifetime = (guint64) gtk_spin_button_get_value_as_int (self->lifetime_spin) * lifetime_units[selected];
  antenna_profile_set_sas_token_lifetime (get_profile (self),
                                          (guint) CLAMP (lifetime, ANTENNA_PROFILE_SAS_LIFETIME_MIN,
                                                         ANTENNA_PROFILE_SAS_LIFETIME_MAX));
}

/* The number stays, in the new unit (within its range). */
static void
on_lifetime_unit_selected_cb (AntennaProfileAuthGroup *self)
{
  guint selected = gtk_drop_down_get_selected (self->lifetime_unit);

  if (self->showing_lifetime || selected >= G_N_ELEMENTS (lifetime_units))
    return;

  self->showing_lifetime = TRUE;
  set_lifetime_range (self, lifetime_units[selected]);
  self->showing_lifetime = FALSE;
  on_lifetime_changed_cb (self);
}

static void
on_method_selected_cb (AntennaProfileAuthGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->method_row);

  if (get_profile (self) != NULL && selected <= ANTENNA_AUTH_METHOD_AZURE_SAS)
    antenna_profile_set_auth_method (get_profile (self), (AntennaAuthMethod) selected);
}

static void
on_password_changed_cb (AntennaProfileAuthGroup *self)
{
  antenna_profile_editor_group_emit_changed (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* Closures of the template */

static gboolean
is_azure_sas (AntennaProfileAuthGroup *self,
              AntennaAuthMethod        method)
{
  return method == ANTENNA_AUTH_METHOD_AZURE_SAS;
}

static char *
password_title (AntennaProfileAuthGroup *self,
                AntennaAuthMethod        method)
{
  return g_strdup (is_azure_sas (self, method) ? _("Device _Key") : _("Pass_word"));
}

static char *
remember_title (AntennaProfileAuthGroup *self,
                AntennaAuthMethod        method)
{
  return g_strdup (is_azure_sas (self, method) ? _("Remember Device Key") : _("Remember Password"));
}

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

  /* First in the largest unit that fits. */
  self->showing_lifetime = TRUE;
  gtk_drop_down_set_selected (self->lifetime_unit, G_N_ELEMENTS (lifetime_units) - 1);
  self->showing_lifetime = FALSE;
  g_signal_connect_object (profile, "notify::sas-token-lifetime",
                           G_CALLBACK (show_lifetime), self,
                           G_CONNECT_SWAPPED);
  show_lifetime (self);

  g_signal_connect_object (profile, "notify::transport",
                           G_CALLBACK (update_description), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::host",
                           G_CALLBACK (update_description), self,
                           G_CONNECT_SWAPPED);
  update_description (self);
}

static gboolean
antenna_profile_auth_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileAuthGroup *self = ANTENNA_PROFILE_AUTH_GROUP (group);
  const char *password = antenna_profile_auth_group_get_password (self);
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* A device key is checked as it is typed; an empty one is asked for at connect. */
  if (antenna_profile_get_auth_method (get_profile (self)) == ANTENNA_AUTH_METHOD_AZURE_SAS &&
      password[0] != '\0')
    antenna_sas_token_check_key (password, &error);
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->password_row),
                                          error != NULL ? error->message : NULL, errors);

  return antenna_profile_editor_group_show_errors (self->auth_error, errors);
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
  group_class->validate = antenna_profile_auth_group_validate;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-auth-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, method_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, username_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, lifetime_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, lifetime_unit);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileAuthGroup, auth_error);
  gtk_widget_class_bind_template_callback (widget_class, on_method_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_lifetime_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_lifetime_unit_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_azure_sas);
  gtk_widget_class_bind_template_callback (widget_class, password_title);
  gtk_widget_class_bind_template_callback (widget_class, remember_title);
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
