/* antenna-profile-general-group.h: the profile editor's name, address and protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_GENERAL_GROUP (antenna_profile_general_group_get_type ())

/* Focusing the group focuses its first row, the name. */
G_DECLARE_FINAL_TYPE (AntennaProfileGeneralGroup, antenna_profile_general_group, ANTENNA, PROFILE_GENERAL_GROUP, AntennaProfileEditorGroup)

G_END_DECLS
