/* antenna-message-log.h: a bounded GListModel of AntennaMessage in arrival order
 *
 * Keeps the newest :limit messages; :total-count counts every message ever
 * added (also the evicted ones). A filter (topic filter and/or payload text)
 * narrows what the model exposes. Like the topic tree, items-changed is
 * emitted at most once per antenna_message_log_flush().
 * While :paused, messages are counted but not appended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_MESSAGE_LOG (antenna_message_log_get_type ())
G_DECLARE_FINAL_TYPE (AntennaMessageLog, antenna_message_log, ANTENNA, MESSAGE_LOG, GObject)

AntennaMessageLog *antenna_message_log_new              (guint              limit);
guint              antenna_message_log_get_limit        (AntennaMessageLog *self);
void               antenna_message_log_set_limit        (AntennaMessageLog *self,
                                                         guint              limit);
void               antenna_message_log_add_messages     (AntennaMessageLog *self,
                                                         GPtrArray         *messages);
void               antenna_message_log_add_message      (AntennaMessageLog *self,
                                                         AntennaMessage    *message);
guint64            antenna_message_log_get_total_count  (AntennaMessageLog *self);
gboolean           antenna_message_log_get_paused       (AntennaMessageLog *self);
void               antenna_message_log_set_paused       (AntennaMessageLog *self,
                                                         gboolean           paused);
/* @topic_filter: an MQTT filter ("a/+/c") or plain text matched as a substring
 * of the topic; @text: a substring of the payload (valid UTF-8 payloads only);
 * either may be NULL or "". */
void               antenna_message_log_set_filter       (AntennaMessageLog *self,
                                                         const char        *topic_filter,
                                                         const char        *text);
void               antenna_message_log_clear            (AntennaMessageLog *self);
void               antenna_message_log_flush            (AntennaMessageLog *self);

G_END_DECLS
