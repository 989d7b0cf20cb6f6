/* antenna-topic-history-private.h: the history model of a topic node
 *
 * AntennaTopicHistory: what a node's history model shows, a copy of the
 * node's ring as of the last flush (only made for the nodes someone looks
 * at), a GListModel of AntennaMessage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-message-ring.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_HISTORY (antenna_topic_history_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicHistory, antenna_topic_history, ANTENNA, TOPIC_HISTORY, GObject)

/* Brings the model up to @ring, emitting what changed. */
void _antenna_topic_history_sync (AntennaTopicHistory      *self,
                                  const AntennaMessageRing *ring);

G_END_DECLS
