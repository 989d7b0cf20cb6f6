/* antenna-topic-tree.h: every topic seen on a connection, as a tree
 *
 * Shaped for GtkTreeListModel: the root model and each node's children are
 * GListModels of AntennaTopicNode, sorted by segment. Adding a message hashes
 * the full topic to its node (O(1) amortised per message plus one step per new
 * level); counts are exact even after a node's history evicted old messages.
 * Model changes (items-changed, notify) are emitted at most once per
 * antenna_topic_tree_flush(), which the UI calls once per frame; without a
 * flush the tree still answers every getter with the current numbers.
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
 * subtree-count, last-message, last-time (gint64 µs), retained (the last message
 * was retained and not cleared). */
const char      *antenna_topic_node_get_segment        (AntennaTopicNode *self);
/* The full topic of this level ("a/b" for segment "b" under "a"). */
const char      *antenna_topic_node_get_topic          (AntennaTopicNode *self);
AntennaTopicNode *antenna_topic_node_get_parent        (AntennaTopicNode *self);
/* A GListModel of AntennaTopicNode, sorted by segment; NULL when no children. */
GListModel      *antenna_topic_node_get_children       (AntennaTopicNode *self);
/* Messages published on exactly this topic. */
guint64          antenna_topic_node_get_message_count  (AntennaTopicNode *self);
/* This topic and all below. */
guint64          antenna_topic_node_get_subtree_count  (AntennaTopicNode *self);
AntennaMessage  *antenna_topic_node_get_last_message   (AntennaTopicNode *self);
gboolean         antenna_topic_node_get_retained       (AntennaTopicNode *self);
/* The newest messages of this topic, oldest first (bounded by the tree's history-limit). */
GListModel      *antenna_topic_node_get_history        (AntennaTopicNode *self);

#define ANTENNA_TYPE_TOPIC_TREE (antenna_topic_tree_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicTree, antenna_topic_tree, ANTENNA, TOPIC_TREE, GObject)

AntennaTopicTree *antenna_topic_tree_new               (guint             history_limit);
/* The top level: a GListModel of AntennaTopicNode. */
GListModel       *antenna_topic_tree_get_root          (AntennaTopicTree *self);
guint             antenna_topic_tree_get_history_limit (AntennaTopicTree *self);
void              antenna_topic_tree_set_history_limit (AntennaTopicTree *self,
                                                        guint             limit);
/* Takes the messages of one messages-received batch. */
void              antenna_topic_tree_add_messages      (AntennaTopicTree *self,
                                                        GPtrArray        *messages);
AntennaTopicNode *antenna_topic_tree_lookup            (AntennaTopicTree *self,
                                                        const char       *topic);
guint             antenna_topic_tree_get_n_topics      (AntennaTopicTree *self);
guint64           antenna_topic_tree_get_total_count   (AntennaTopicTree *self);
/* Emits the coalesced model changes since the last flush. */
void              antenna_topic_tree_flush             (AntennaTopicTree *self);
void              antenna_topic_tree_clear             (AntennaTopicTree *self);

G_END_DECLS
