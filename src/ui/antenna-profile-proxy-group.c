/* antenna-profile-proxy-group.c
 *
 * No proxy, the system's settings, or this one. The address is typed as
 * text and checked as it is typed (antenna_proxy_parse_url()): it goes to
 * the profile only when it is one Antenna can use, so that a password
 * written into it never reaches the profile (nor profiles.json); the
 * sentence under the group says what to change, and Save waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-proxy-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-proxy-group.h"
#include "antenna-proxy.h"

struct _AntennaProfileProxyGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwComboRow               *proxy_mode_row;
  AdwEntryRow               *proxy_url_row;
  AdwEntryRow               *proxy_username_row;
  AdwEntryRow               *proxy_password_row;
  GtkLabel                  *proxy_error;
};

G_DEFINE_FINAL_TYPE (AntennaProfileProxyGroup, antenna_profile_proxy_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

static AntennaProfile *
get_profile (AntennaProfileProxyGroup *self)
{
  return antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* The address as typed, without the spaces around it. */
static char *
dup_url_text (AntennaProfileProxyGroup *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->proxy_url_row))));
}

/* Closures of the template */

static gboolean
is_manual (AntennaProfileProxyGroup *self,
           AntennaProxyMode          mode)
{
  return mode == ANTENNA_PROXY_MODE_MANUAL;
}

static char *
describe_mode (AntennaProfileProxyGroup *self,
               AntennaProxyMode          mode)
{
  switch (mode)
    {
    case ANTENNA_PROXY_MODE_NONE:
      return g_strdup (_("Straight to the broker, whatever the system’s settings say"));
    case ANTENNA_PROXY_MODE_MANUAL:
      return g_strdup (_("An HTTP proxy of this connection’s own"));
    case ANTENNA_PROXY_MODE_SYSTEM:
    default:
      return g_strdup (_("The proxy of the system’s network settings, if it names one for the broker"));
    }
}

/* Signal callbacks */

/* The other way is bound in the template. */
static void
on_mode_selected_cb (AntennaProfileProxyGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->proxy_mode_row);

  if (get_profile (self) != NULL && selected <= ANTENNA_PROXY_MODE_MANUAL)
    antenna_profile_set_proxy_mode (get_profile (self), (AntennaProxyMode) selected);
}

static void
on_url_changed_cb (AntennaProfileProxyGroup *self)
{
  g_autofree char *url = dup_url_text (self);
  g_autoptr(GUri) parsed = NULL;

  if (get_profile (self) == NULL)
    return;

  parsed = antenna_proxy_parse_url (url, NULL);
  if (parsed != NULL)
    antenna_profile_set_proxy_url (get_profile (self), url);

  antenna_profile_editor_group_emit_changed (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* Overrides */

static void
antenna_profile_proxy_group_bind (AntennaProfileEditorGroup *group,
                                  AntennaProfile            *profile)
{
  AntennaProfileProxyGroup *self = ANTENNA_PROFILE_PROXY_GROUP (group);

  antenna_profile_editor_group_bind_property (group, "proxy-username", self->proxy_username_row, "text");
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_url_row), antenna_profile_get_proxy_url (profile));
}

static gboolean
antenna_profile_proxy_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileProxyGroup *self = ANTENNA_PROFILE_PROXY_GROUP (group);
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = dup_url_text (self);
  g_autoptr(GUri) parsed = NULL;

  if (antenna_profile_get_proxy_mode (get_profile (self)) == ANTENNA_PROXY_MODE_MANUAL)
    parsed = antenna_proxy_parse_url (url, &error);
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->proxy_url_row),
                                          error != NULL ? error->message : NULL, errors);

  return antenna_profile_editor_group_show_errors (self->proxy_error, errors);
}

static void
antenna_profile_proxy_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_PROXY_GROUP);

  G_OBJECT_CLASS (antenna_profile_proxy_group_parent_class)->dispose (object);
}

static void
antenna_profile_proxy_group_class_init (AntennaProfileProxyGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_proxy_group_dispose;

  group_class->bind = antenna_profile_proxy_group_bind;
  group_class->validate = antenna_profile_proxy_group_validate;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-proxy-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileProxyGroup, proxy_mode_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileProxyGroup, proxy_url_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileProxyGroup, proxy_username_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileProxyGroup, proxy_password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileProxyGroup, proxy_error);
  gtk_widget_class_bind_template_callback (widget_class, is_manual);
  gtk_widget_class_bind_template_callback (widget_class, describe_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed_cb);
}

static void
antenna_profile_proxy_group_init (AntennaProfileProxyGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
antenna_profile_proxy_group_get_password (AntennaProfileProxyGroup *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_PROXY_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->proxy_password_row));
}

void
antenna_profile_proxy_group_set_password (AntennaProfileProxyGroup *self,
                                          const char               *password)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_PROXY_GROUP (self));

  gtk_editable_set_text (GTK_EDITABLE (self->proxy_password_row), password != NULL ? password : "");
}
