/* antenna-publish-history-row.h: one entry of a connection's publish history
 *
 * The topic, and QoS, retain, size and the start of the payload under it.
 * Properties: message (the AntennaMessage it shows). Signals: publish-again
 * (action history-row.publish-again, the button on the row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-message.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PUBLISH_HISTORY_ROW (antenna_publish_history_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishHistoryRow, antenna_publish_history_row, ANTENNA, PUBLISH_HISTORY_ROW, GtkListBoxRow)

GtkWidget      *antenna_publish_history_row_new         (AntennaMessage           *message);
AntennaMessage *antenna_publish_history_row_get_message (AntennaPublishHistoryRow *self);

G_END_DECLS
