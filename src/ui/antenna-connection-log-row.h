/* antenna-connection-log-row.h: one entry of the connection log window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-connection-log-entry.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CONNECTION_LOG_ROW (antenna_connection_log_row_get_type ())
G_DECLARE_FINAL_TYPE (AntennaConnectionLogRow, antenna_connection_log_row, ANTENNA, CONNECTION_LOG_ROW, GtkBox)

/* Property: entry (AntennaConnectionLogEntry, may be NULL). */
AntennaConnectionLogEntry *antenna_connection_log_row_get_entry (AntennaConnectionLogRow   *self);
void                       antenna_connection_log_row_set_entry (AntennaConnectionLogRow   *self,
                                                                 AntennaConnectionLogEntry *entry);

G_END_DECLS
