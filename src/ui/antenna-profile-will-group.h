/* antenna-profile-will-group.h: the profile editor's last will
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_WILL_GROUP (antenna_profile_will_group_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileWillGroup, antenna_profile_will_group, ANTENNA, PROFILE_WILL_GROUP, AntennaProfileEditorGroup)

G_END_DECLS
