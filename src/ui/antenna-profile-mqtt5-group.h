/* antenna-profile-mqtt5-group.h: the profile editor's MQTT 5 connect settings
 *
 * Receive maximum, maximum packet size, topic alias maximum, request
 * response and problem information, and the CONNECT's user properties
 * (AntennaUserPropertyRow). Insensitive, with a note, when the profile
 * speaks MQTT 3.1.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_MQTT5_GROUP (antenna_profile_mqtt5_group_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileMqtt5Group, antenna_profile_mqtt5_group, ANTENNA, PROFILE_MQTT5_GROUP, AntennaProfileEditorGroup)

G_END_DECLS
