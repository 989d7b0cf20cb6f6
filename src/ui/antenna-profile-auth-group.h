/* antenna-profile-auth-group.h: the profile editor's user name and password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_AUTH_GROUP (antenna_profile_auth_group_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileAuthGroup, antenna_profile_auth_group, ANTENNA, PROFILE_AUTH_GROUP, AntennaProfileEditorGroup)

/* The password is not in the profile: the editor reads it from the keyring
 * and stores it there. */
const char *antenna_profile_auth_group_get_password (AntennaProfileAuthGroup *self);
void        antenna_profile_auth_group_set_password (AntennaProfileAuthGroup *self,
                                                     const char              *password);

G_END_DECLS
