/* antenna-topic-row.h: one topic of the topic tree view, with its live counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_ROW (antenna_topic_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTopicRow, antenna_topic_row, ANTENNA, TOPIC_ROW, GtkBox)

/* The child of a GtkTreeExpander in the topic tree view: the node's segment,
 * retained pin, last payload, time since it (recorded: its time of day) and
 * message count. Bound, it follows the node's notify (a busy row a few times
 * a second; a change that must wait is shown by antenna_topic_row_tick())
 * and sets its expander's "leaf" style class. */
GtkWidget  *antenna_topic_row_new                 (void);
void        antenna_topic_row_bind                (AntennaTopicRow  *self,
                                                   AntennaTopicNode *node);
void        antenna_topic_row_unbind              (AntennaTopicRow  *self);
/* Called once per frame for every bound row by the view's tick: refreshes a
 * change that waited for its turn, ends a highlight, and with @new_second
 * ages the "time since" label against @now (real time). Returns whether
 * the row still wants frames (a change waiting or a highlight fading). */
gboolean    antenna_topic_row_tick                (AntennaTopicRow  *self,
                                                   gint64            monotonic,
                                                   gint64            now,
                                                   gboolean          new_second);

/* The connection's decoding settings, for the preview (as the log's). */
void        antenna_topic_row_set_decoder_context (AntennaTopicRow       *self,
                                                   AntennaDecoderContext *context);

/* A capture's row: the time of its topic's last message ("HH:MM:SS", as
 * the log's rows), which does not age, instead of the time since it. */
void        antenna_topic_row_set_recorded        (AntennaTopicRow       *self,
                                                   gboolean               recorded);
/* The time label as shown, for tests. */
const char *antenna_topic_row_get_time_text       (AntennaTopicRow       *self);

/* Shows the preview again, after the connection's rules changed. */
void        antenna_topic_row_redecode            (AntennaTopicRow       *self);

G_END_DECLS
