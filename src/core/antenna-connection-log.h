/* antenna-connection-log.h: what happened on a connection, a bounded GListModel
 *
 * A GListModel of AntennaConnectionLogEntry, oldest first, keeping the
 * newest :limit entries: connection attempts, CONNACK and DISCONNECT reason
 * codes, subscription grants, reconnections, errors. AntennaClient owns one
 * (antenna_client_get_log()) and adds to it on the main thread only; the
 * model changes at once, with (0, 1, 0) for an entry that fell off the
 * front and (n, 0, 1) for the new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-connection-log-entry.h"

G_BEGIN_DECLS

#define ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT 2000

#define ANTENNA_TYPE_CONNECTION_LOG (antenna_connection_log_get_type ())
G_DECLARE_FINAL_TYPE (AntennaConnectionLog, antenna_connection_log, ANTENNA, CONNECTION_LOG, GObject)

/* @limit: at least 1. */
AntennaConnectionLog *antenna_connection_log_new       (guint                      limit);
guint                 antenna_connection_log_get_limit (AntennaConnectionLog      *self);
void                  antenna_connection_log_add       (AntennaConnectionLog      *self,
                                                        AntennaConnectionLogLevel  level,
                                                        const char                *detail,
                                                        const char                *format,
                                                        ...) G_GNUC_PRINTF (4, 5);
void                  antenna_connection_log_add_entry (AntennaConnectionLog      *self,
                                                        AntennaConnectionLogEntry *entry);
void                  antenna_connection_log_clear     (AntennaConnectionLog      *self);

/* The entries of @entries (a GListModel of AntennaConnectionLogEntry, such
 * as a filtered view of the log), one line each, for the clipboard. */
char                 *antenna_connection_log_format    (GListModel                *entries);

G_END_DECLS
