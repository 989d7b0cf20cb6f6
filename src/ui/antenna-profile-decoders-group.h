/* antenna-profile-decoders-group.h: a profile's decoder rules and .proto files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_DECODERS_GROUP (antenna_profile_decoders_group_get_type ())

/* The connection's decoder rules (topic filter → decoder, and the message
 * type for Protocol Buffers), and its .proto files with the folders their
 * imports are looked for in. The files are read as they change: an error
 * (a missing import, a syntax error) shows under them, a rule naming a type
 * that is in none of them shows on the rule.
 * Actions: decoders.remove-rule, decoders.remove-proto-file,
 * decoders.remove-import-path (s: the filter or path), decoders.add-rule,
 * decoders.add-proto-file, decoders.add-import-path (what the add rows
 * hold), decoders.choose-proto-file, decoders.choose-import-path. */
G_DECLARE_FINAL_TYPE (AntennaProfileDecodersGroup, antenna_profile_decoders_group, ANTENNA, PROFILE_DECODERS_GROUP, AntennaProfileEditorGroup)

/* What the files' schema said: NULL when they load (or there are none). */
const char *antenna_profile_decoders_group_get_schema_error (AntennaProfileDecodersGroup *self);

G_END_DECLS
