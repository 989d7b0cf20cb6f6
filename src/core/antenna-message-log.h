/* antenna-message-log.h: a bounded GListModel of AntennaMessage in arrival order
 *
 * Keeps the newest :limit messages; :total-count counts every message ever
 * added (also the evicted ones). A filter (topic filter and/or payload text)
 * narrows what the model exposes. Like the topic tree, items-changed is
 * emitted at most once per antenna_message_log_flush().
 * While :paused, messages are counted but not appended.
 *
 * Properties: limit, paused, total-count and n-items (the last two notified
 * on flush). What a flush emits: (0, evicted, 0) for the messages that fell
 * off the front, then (n, 0, appended) at the end; a single (0, n_old, n_new)
 * when nothing shown survived. Each emission describes the model as it is at
 * that moment, so a GtkListView keeps its rows and scroll position.
 * Messages that arrive after a flush and are pushed out of the newest
 * :limit before the next one are never shown (only counted): the memory
 * held stays bounded when nobody flushes (a hidden page).
 * set_filter(), set_limit() and clear() change the model at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_MESSAGE_LOG (antenna_message_log_get_type ())
G_DECLARE_FINAL_TYPE (AntennaMessageLog, antenna_message_log, ANTENNA, MESSAGE_LOG, GObject)

#define ANTENNA_MESSAGE_LOG_DEFAULT_LIMIT       10000
#define ANTENNA_MESSAGE_LOG_MAX_LIMIT           10000000
/* The text filter looks at the first 64 KiB of a payload. */
#define ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT   65536

/* @limit: 1 to ANTENNA_MESSAGE_LOG_MAX_LIMIT. */
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
/* @topic_filter: an MQTT filter ("a/+/c", "a/#": a valid filter with a
 * wildcard) or else plain text matched as a substring of the topic; @text: a
 * substring of the payload (valid UTF-8 payloads only, searched in their first
 * ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT bytes); both substrings ignore ASCII
 * case; either may be NULL or "". Both given: a message must match both. */
void               antenna_message_log_set_filter       (AntennaMessageLog *self,
                                                         const char        *topic_filter,
                                                         const char        *text);
/* The connection's decoding settings: the text filter searches the
 * decoded value (as JSON) of a message a rule or the Sparkplug namespace
 * claims, and the raw payload of the others. Set before a filter. */
void               antenna_message_log_set_decoder_context (AntennaMessageLog     *self,
                                                         AntennaDecoderContext *context);
/* Empties the log and resets :total-count to 0. */
void               antenna_message_log_clear            (AntennaMessageLog *self);
void               antenna_message_log_flush            (AntennaMessageLog *self);

G_END_DECLS
