/* antenna-profile-session-group.h: the profile editor's session settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_SESSION_GROUP (antenna_profile_session_group_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileSessionGroup, antenna_profile_session_group, ANTENNA, PROFILE_SESSION_GROUP, AntennaProfileEditorGroup)

G_END_DECLS
