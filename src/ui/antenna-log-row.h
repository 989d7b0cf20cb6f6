/* antenna-log-row.h: one message in the message log, custom-drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_LOG_ROW (antenna_log_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaLogRow, antenna_log_row, ANTENNA, LOG_ROW, GtkWidget)

/* Time, topic, QoS, retain, payload preview and size of a message on one
 * line, with the colour dot of @color (a CSS colour, or NULL for none) or an
 * arrow for a message sent from here. The texts are laid out when the row is
 * first drawn: a list view binds many more rows than it shows. */
GtkWidget *antenna_log_row_new         (void);
void       antenna_log_row_set_message (AntennaLogRow  *self,
                                        AntennaMessage *message,
                                        const char     *color);

/* The connection's decoding settings: the preview of a message that a rule
 * or the Sparkplug namespace claims shows its decoded value. */
void       antenna_log_row_set_decoder_context (AntennaLogRow         *self,
                                                AntennaDecoderContext *context);

/* The payload preview the row shows (once drawn), for tests. */
const char *antenna_log_row_get_preview  (AntennaLogRow  *self);

G_END_DECLS
