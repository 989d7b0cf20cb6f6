/* antenna-topic-node.h: one level of the topic tree
 *
 * A node is made and updated by its AntennaTopicTree (antenna-topic-tree.h,
 * which says when its models and properties change).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_NODE (antenna_topic_node_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicNode, antenna_topic_node, ANTENNA, TOPIC_NODE, GObject)

/* Properties (notified on flush): segment, topic, message-count,
 * subtree-count, last-message, last-time (gint64 µs), retained, n-children,
 * has-children.
 * :retained tells whether the broker holds a retained message on this topic,
 * as far as the messages show: a retained message with a payload sets it, an
 * empty retained message (the way to clear one) unsets it, and a message
 * without the retain flag (a live update) leaves it as it was. */
const char      *antenna_topic_node_get_segment        (AntennaTopicNode *self);
/* The full topic of this level ("a/b" for segment "b" under "a"). */
const char      *antenna_topic_node_get_topic          (AntennaTopicNode *self);
AntennaTopicNode *antenna_topic_node_get_parent        (AntennaTopicNode *self);
/* A GListModel of AntennaTopicNode, sorted by segment; never NULL: empty for
 * a leaf (see the note in antenna-topic-tree.h). Changes on flush. */
GListModel      *antenna_topic_node_get_children       (AntennaTopicNode *self);
/* The number of items in the children model (as of the last flush). */
guint            antenna_topic_node_get_n_children     (AntennaTopicNode *self);
gboolean         antenna_topic_node_get_has_children   (AntennaTopicNode *self);
/* Messages published on exactly this topic. */
guint64          antenna_topic_node_get_message_count  (AntennaTopicNode *self);
/* This topic and all below. */
guint64          antenna_topic_node_get_subtree_count  (AntennaTopicNode *self);
/* Messages per second on this topic and below, over the last few whole
 * seconds (antenna-rate.h); read when wanted, never notified. */
double           antenna_topic_node_get_rate           (AntennaTopicNode *self);
AntennaMessage  *antenna_topic_node_get_last_message   (AntennaTopicNode *self);
gboolean         antenna_topic_node_get_retained       (AntennaTopicNode *self);
/* The newest messages of this topic, oldest first (bounded by the tree's
 * history-limit); a GListModel of AntennaMessage that changes on flush. */
GListModel      *antenna_topic_node_get_history        (AntennaTopicNode *self);

G_END_DECLS
