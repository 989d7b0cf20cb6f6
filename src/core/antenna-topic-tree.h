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
 * What a flush emits, in this order:
 * - on each children model that gained nodes: items-changed per run of new
 *   adjacent nodes (position, 0, n), applied one run at a time, so every
 *   emission describes the model exactly as it is at that moment and the rows
 *   of existing siblings (and their expanded state in a GtkTreeListModel) are
 *   kept. Past 256 runs in one parent in one flush, one reset of that parent's
 *   model (0, n_old, n_new) instead.
 * - on each history model whose topic got messages: (0, evicted, 0) then
 *   (n, 0, appended), or one reset when everything shown was evicted.
 * - notify for the properties of the nodes that changed since the last flush
 *   (only nodes that have notify handlers pay for it), then the tree's
 *   total-count and n-topics.
 *
 * Children and GtkTreeListModel: antenna_topic_node_get_children() returns a
 * model for EVERY node, empty for a leaf, never NULL. GtkTreeListModel asks
 * its create_func once per row and remembers a NULL answer for good, so a
 * topic that gets its first subtopic later would never become expandable.
 * The UI decides whether to show an expander from :has-children /
 * :n-children (notified on flush), e.g. a create_func that returns
 * g_object_ref (antenna_topic_node_get_children (node)) for every node.
 *
 * Children are sorted by antenna_topic_segment_compare(): "natural" order,
 * digit runs compare as numbers ("sensor2" before "sensor10"), otherwise byte
 * (code point) order, case-sensitive like MQTT topics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-topic-node.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_TREE (antenna_topic_tree_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicTree, antenna_topic_tree, ANTENNA, TOPIC_TREE, GObject)

/* Properties: history-limit (messages kept per topic, 0 keeps none; the
 * default is ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT), history-budget (bytes
 * the histories of all topics together may take, beyond each topic's newest
 * message; past it the oldest entries across topics are forgotten, counts
 * stay exact; each entry counts the memory its message holds, object,
 * topic, payload and all, and its slots in the tree),
 * total-count, n-topics (both notified on flush). */
#define ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT  100
#define ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_BUDGET (G_GUINT64_CONSTANT (32) * 1024 * 1024)

/* The order of siblings: <0, 0 (only for equal strings), >0. */
int               antenna_topic_segment_compare        (const char       *a,
                                                        const char       *b);

AntennaTopicTree *antenna_topic_tree_new               (guint             history_limit);
/* The top level: a GListModel of AntennaTopicNode. */
GListModel       *antenna_topic_tree_get_root          (AntennaTopicTree *self);
guint             antenna_topic_tree_get_history_limit (AntennaTopicTree *self);
void              antenna_topic_tree_set_history_limit (AntennaTopicTree *self,
                                                        guint             limit);
guint64           antenna_topic_tree_get_history_budget (AntennaTopicTree *self);
void              antenna_topic_tree_set_history_budget (AntennaTopicTree *self,
                                                         guint64           budget);
guint64           antenna_topic_tree_get_history_size  (AntennaTopicTree *self);
/* What one history entry of @message counts against the budget. */
guint64           antenna_topic_tree_history_cost      (AntennaMessage   *message);
/* Whether adding messages counts them into the nodes' rates (the default):
 * FALSE for messages read from a capture, whose loading speed is no rate
 * of the broker's. */
void              antenna_topic_tree_set_count_rates   (AntennaTopicTree *self,
                                                        gboolean          count_rates);
/* Takes the messages of one messages-received batch. */
void              antenna_topic_tree_add_messages      (AntennaTopicTree *self,
                                                        GPtrArray        *messages);
/* The node of @topic (also an intermediate level that got no message
 * itself), or NULL; found as soon as the message was added, before a flush. */
AntennaTopicNode *antenna_topic_tree_lookup            (AntennaTopicTree *self,
                                                        const char       *topic);
/* The number of distinct topics that got at least one message (levels that
 * exist only as parents do not count). */
guint             antenna_topic_tree_get_n_topics      (AntennaTopicTree *self);
/* Every message added since creation or the last clear. */
guint64           antenna_topic_tree_get_total_count   (AntennaTopicTree *self);
/* Emits the coalesced model changes since the last flush. */
void              antenna_topic_tree_flush             (AntennaTopicTree *self);
/* Forgets every topic at once (emits the root's items-changed and the
 * counts' notify right away). Nodes still referenced elsewhere are detached:
 * their parent becomes NULL. */
void              antenna_topic_tree_clear             (AntennaTopicTree *self);

G_END_DECLS
