/* antenna-proto-path-row.h: a .proto file or an import folder of a profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROTO_PATH_ROW (antenna_proto_path_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProtoPathRow, antenna_proto_path_row, ANTENNA, PROTO_PATH_ROW, AdwActionRow)

/* The path as the title; its remove button activates @remove_action with
 * the path (s). */
GtkWidget  *antenna_proto_path_row_new      (const char          *path,
                                             const char          *remove_action);
const char *antenna_proto_path_row_get_path (AntennaProtoPathRow *self);

G_END_DECLS
