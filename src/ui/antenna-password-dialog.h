/* antenna-password-dialog.h: asks for the password of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PASSWORD_DIALOG (antenna_password_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPasswordDialog, antenna_password_dialog, ANTENNA, PASSWORD_DIALOG, AdwMessageDialog)

/* Responses: "cancel" and "connect". @can_remember shows the "Remember
 * password" check; @reason (may be NULL) says why it is asked, e.g. that the
 * keyring could not be read or the broker refused the last password. */
GtkWidget  *antenna_password_dialog_new          (GtkWindow             *parent,
                                                  AntennaProfile        *profile,
                                                  gboolean               can_remember,
                                                  const char            *reason);
const char *antenna_password_dialog_get_password (AntennaPasswordDialog *self);
gboolean    antenna_password_dialog_get_remember (AntennaPasswordDialog *self);

G_END_DECLS
