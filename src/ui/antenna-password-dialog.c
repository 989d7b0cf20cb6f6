/* antenna-password-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-password-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-password-dialog.h"
#include "antenna-profile.h"

struct _AntennaPasswordDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *password_row;
  GtkCheckButton   *remember_check;
};

G_DEFINE_FINAL_TYPE (AntennaPasswordDialog, antenna_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_password_activated_cb (AntennaPasswordDialog *self)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "connect");
}

static void
antenna_password_dialog_dispose (GObject *object)
{
  /* AdwEntryRow (libadwaita 1.2) follows its window's focus-widget: with the
   * focus still in the row, the window's last notify of it reaches a row
   * whose text is gone (a critical cast as the dialog is destroyed). */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PASSWORD_DIALOG);

  G_OBJECT_CLASS (antenna_password_dialog_parent_class)->dispose (object);
}

static void
antenna_password_dialog_class_init (AntennaPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_password_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPasswordDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPasswordDialog, remember_check);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated_cb);
}

static void
antenna_password_dialog_init (AntennaPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_password_dialog_new (GtkWindow      *parent,
                             AntennaProfile *profile,
                             gboolean        can_remember,
                             const char     *reason)
{
  AntennaPasswordDialog *self;
  g_autofree char *address = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ANTENNA_IS_PROFILE (profile), NULL);

  self = g_object_new (ANTENNA_TYPE_PASSWORD_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);

  address = antenna_profile_dup_display_address (profile);
  if (antenna_profile_get_auth_method (profile) == ANTENNA_AUTH_METHOD_AZURE_SAS)
    {
      /* An Azure IoT Hub device: its key, from which the SAS token is made. */
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Device Key Required"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("Device Key"));
      gtk_check_button_set_label (self->remember_check, _("_Remember device key"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remember_check), _("Keep the device key in the system keyring"));
      /* Translators: "the device id" on "the IoT hub's address". */
      body = g_strdup_printf (_("Enter the device key of “%s” on %s, from the IoT hub’s Devices page. Antenna signs a SAS token with it at each connection."),
                              antenna_profile_get_client_id (profile), address);
    }
  else
    /* Translators: "the user name" on "the broker address". */
    body = g_strdup_printf (_("Enter the password of “%s” on %s."),
                            antenna_profile_get_username (profile), address);
  if (reason != NULL && reason[0] != '\0')
    {
      g_autofree char *with_reason = g_strdup_printf ("%s\n\n%s", reason, body);
      g_free (body);
      body = g_steal_pointer (&with_reason);
    }
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  gtk_widget_set_visible (GTK_WIDGET (self->remember_check), can_remember);
  gtk_check_button_set_active (self->remember_check,
                               can_remember && antenna_profile_get_save_password (profile));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));

  return GTK_WIDGET (self);
}

const char *
antenna_password_dialog_get_password (AntennaPasswordDialog *self)
{
  g_return_val_if_fail (ANTENNA_IS_PASSWORD_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

gboolean
antenna_password_dialog_get_remember (AntennaPasswordDialog *self)
{
  g_return_val_if_fail (ANTENNA_IS_PASSWORD_DIALOG (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->remember_check)) &&
         gtk_check_button_get_active (self->remember_check);
}
