/* antenna-message-log-view.h: the messages of a connection in arrival order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_MESSAGE_LOG_VIEW (antenna_message_log_view_get_type ())

G_DECLARE_FINAL_TYPE (AntennaMessageLogView, antenna_message_log_view, ANTENNA, MESSAGE_LOG_VIEW, AdwBin)

/* Properties: log (construct-only), subscriptions (GListModel of
 * AntennaSubscription: the colour of a row is that of the first subscription
 * whose filter matches its topic), selected-message, paused (the log's),
 * live (TRUE; FALSE for the messages of a capture: no Pause, Clear nor
 * Export Messages… (the capture's page has its own Export…), and words that
 * mean no connection).
 * Signals: message-activated (AntennaMessage): a row was double-clicked or
 * activated with Enter.
 * Actions: message-log.toggle-pause (:paused), message-log.clear,
 * message-log.export (asks for a file, then antenna_message_log_view_export()). */
GtkWidget         *antenna_message_log_view_new                  (AntennaMessageLog     *log,
                                                                  GListModel            *subscriptions);
AntennaMessageLog *antenna_message_log_view_get_log              (AntennaMessageLogView *self);
AntennaMessage    *antenna_message_log_view_get_selected_message (AntennaMessageLogView *self);
void               antenna_message_log_view_select               (AntennaMessageLogView *self,
                                                                  guint                  position);
void               antenna_message_log_view_set_filter           (AntennaMessageLogView *self,
                                                                  const char            *topic,
                                                                  const char            *text);
/* Writes the selected message, or when none is selected every message the
 * filter shows, to @file as @format (an AntennaCaptureFormat) on a thread,
 * with progress and Cancel in a bar under the log. Nothing while an export
 * runs. */
void               antenna_message_log_view_export               (AntennaMessageLogView *self,
                                                                  GFile                 *file,
                                                                  int                    format);
gboolean           antenna_message_log_view_get_exporting        (AntennaMessageLogView *self);
/* What the export bar says. */
const char        *antenna_message_log_view_get_export_status    (AntennaMessageLogView *self);
/* Called by the page once per frame, after antenna_message_log_flush().
 * Returns TRUE while the counts shown wait for their next update (a few
 * times a second in a flood): the page keeps ticking until then. */
gboolean           antenna_message_log_view_tick                 (AntennaMessageLogView *self);

gboolean           antenna_message_log_view_get_live             (AntennaMessageLogView *self);
void               antenna_message_log_view_set_live             (AntennaMessageLogView *self,
                                                                  gboolean               live);

/* Ctrl+F in the log: the keyboard focus to its topic filter. */
void                   antenna_message_log_view_focus_filter (AntennaMessageLogView *self);
/* The connection's decoding settings: previews and the payload filter of
 * messages a rule or the Sparkplug namespace claims use their decoded value. */
void                   antenna_message_log_view_set_decoder_context (AntennaMessageLogView *self,
                                                                     AntennaDecoderContext *context);

G_END_DECLS
