/* antenna-topic-history-row.h: one message of a topic's history, in the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_HISTORY_ROW (antenna_topic_history_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTopicHistoryRow, antenna_topic_history_row, ANTENNA, TOPIC_HISTORY_ROW, GtkBox)

/* Property: message (AntennaMessage): its time of arrival (with
 * milliseconds), its payload on one line and its size. */
GtkWidget      *antenna_topic_history_row_new         (void);
AntennaMessage *antenna_topic_history_row_get_message (AntennaTopicHistoryRow *self);
void            antenna_topic_history_row_set_message (AntennaTopicHistoryRow *self,
                                                       AntennaMessage         *message);

G_END_DECLS
