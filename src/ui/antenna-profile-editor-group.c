/* antenna-profile-editor-group.c
 *
 * What the groups of the profile editor share: the profile they edit, the
 * way they tell the editor to validate again, and how a row shows that its
 * value cannot be saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-editor-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-editor-group.h"
#include "antenna-topic.h"

typedef struct
{
  /* Owned References */
  AntennaProfile *profile;
} AntennaProfileEditorGroupPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AntennaProfileEditorGroup, antenna_profile_editor_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
antenna_profile_editor_group_real_validate (AntennaProfileEditorGroup *self)
{
  return TRUE;
}

static void
antenna_profile_editor_group_dispose (GObject *object)
{
  AntennaProfileEditorGroup *self = ANTENNA_PROFILE_EDITOR_GROUP (object);
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);

  g_clear_object (&priv->profile);

  G_OBJECT_CLASS (antenna_profile_editor_group_parent_class)->dispose (object);
}

static void
antenna_profile_editor_group_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  AntennaProfileEditorGroup *self = ANTENNA_PROFILE_EDITOR_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, antenna_profile_editor_group_get_profile (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_editor_group_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  AntennaProfileEditorGroup *self = ANTENNA_PROFILE_EDITOR_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      antenna_profile_editor_group_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_editor_group_class_init (AntennaProfileEditorGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_profile_editor_group_dispose;
  object_class->get_property = antenna_profile_editor_group_get_property;
  object_class->set_property = antenna_profile_editor_group_set_property;

  klass->validate = antenna_profile_editor_group_real_validate;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         ANTENNA_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
antenna_profile_editor_group_init (AntennaProfileEditorGroup *self)
{
}

AntennaProfile *
antenna_profile_editor_group_get_profile (AntennaProfileEditorGroup *self)
{
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);

  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self), NULL);

  return priv->profile;
}

void
antenna_profile_editor_group_set_profile (AntennaProfileEditorGroup *self,
                                          AntennaProfile            *profile)
{
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);

  g_return_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self));
  g_return_if_fail (!profile || ANTENNA_IS_PROFILE (profile));

  if (priv->profile == profile)
    return;

  /* The rows stay bound to the first profile. */
  g_return_if_fail (priv->profile == NULL);

  priv->profile = g_object_ref (profile);
  if (ANTENNA_PROFILE_EDITOR_GROUP_GET_CLASS (self)->bind != NULL)
    ANTENNA_PROFILE_EDITOR_GROUP_GET_CLASS (self)->bind (self, profile);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

gboolean
antenna_profile_editor_group_validate (AntennaProfileEditorGroup *self)
{
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);

  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self), FALSE);

  /* Nothing to check before the profile is bound. */
  if (priv->profile == NULL)
    return TRUE;

  return ANTENNA_PROFILE_EDITOR_GROUP_GET_CLASS (self)->validate (self);
}

void
antenna_profile_editor_group_bind_property (AntennaProfileEditorGroup *self,
                                            const char                *property,
                                            gpointer                   target,
                                            const char                *target_property)
{
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);

  g_return_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self));
  g_return_if_fail (priv->profile != NULL);

  g_object_bind_property (priv->profile, property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

void
antenna_profile_editor_group_emit_changed (AntennaProfileEditorGroup *self)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
antenna_profile_editor_group_uses_tls (AntennaProfileEditorGroup *self)
{
  AntennaProfileEditorGroupPrivate *priv = antenna_profile_editor_group_get_instance_private (self);
  AntennaTransport transport;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR_GROUP (self), FALSE);

  if (priv->profile == NULL)
    return FALSE;

  transport = antenna_profile_get_transport (priv->profile);

  return transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS;
}

void
antenna_profile_editor_group_check_row (GtkWidget  *row,
                                        const char *message,
                                        GString    *errors)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (errors != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  gtk_widget_set_tooltip_text (row, message);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  if (message != NULL)
    g_string_append_printf (errors, "%s\n", message);
}

gboolean
antenna_profile_editor_group_show_errors (GtkLabel *label,
                                          GString  *errors)
{
  g_return_val_if_fail (GTK_IS_LABEL (label), FALSE);
  g_return_val_if_fail (errors != NULL, FALSE);

  if (errors->len > 0 && errors->str[errors->len - 1] == '\n')
    g_string_truncate (errors, errors->len - 1);

  gtk_label_set_label (label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (label), errors->len > 0);

  return errors->len == 0;
}

gboolean
antenna_profile_editor_group_check_filter_row (AdwEntryRow *row,
                                               GtkLabel    *label,
                                               GtkWidget   *add_button)
{
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *filter;
  gboolean valid;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), FALSE);
  g_return_val_if_fail (GTK_IS_LABEL (label), FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (add_button), FALSE);

  filter = gtk_editable_get_text (GTK_EDITABLE (row));
  if (filter[0] != '\0' && !antenna_topic_validate_filter (filter, -1, &error))
    message = g_strdup_printf (_("The topic filter is not valid: %s"), error->message);
  antenna_profile_editor_group_check_row (GTK_WIDGET (row), message, errors);

  valid = antenna_profile_editor_group_show_errors (label, errors);
  gtk_widget_set_sensitive (add_button, filter[0] != '\0' && valid);

  return valid;
}
