/* antenna-profile-proxy-group.h: the profile editor's HTTP proxy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_PROXY_GROUP (antenna_profile_proxy_group_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileProxyGroup, antenna_profile_proxy_group, ANTENNA, PROFILE_PROXY_GROUP, AntennaProfileEditorGroup)

/* The proxy password is not in the profile: the editor reads it from the
 * keyring and stores it there (ANTENNA_SECRET_PROXY_PASSWORD). */
const char *antenna_profile_proxy_group_get_password (AntennaProfileProxyGroup *self);
void        antenna_profile_proxy_group_set_password (AntennaProfileProxyGroup *self,
                                                      const char               *password);

G_END_DECLS
