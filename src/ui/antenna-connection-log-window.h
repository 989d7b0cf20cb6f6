/* antenna-connection-log-window.h: a connection's log, to read, filter and copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-connection-log.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CONNECTION_LOG_WINDOW (antenna_connection_log_window_get_type ())
G_DECLARE_FINAL_TYPE (AntennaConnectionLogWindow, antenna_connection_log_window, ANTENNA, CONNECTION_LOG_WINDOW, AdwWindow)

/* Properties: log (construct-only), connection-name (the subtitle). */
GtkWidget  *antenna_connection_log_window_new            (AntennaConnectionLog       *log,
                                                          const char                 *connection_name);
/* The entries shown (after the search and the level filter). */
GListModel *antenna_connection_log_window_get_shown      (AntennaConnectionLogWindow *self);

G_END_DECLS
