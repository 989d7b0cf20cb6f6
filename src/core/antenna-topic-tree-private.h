/* antenna-topic-tree-private.h: what the files of the topic tree share
 *
 * antenna-topic-tree.c    the tree: the table of topics, the counts, the
 *                         history budget, flush
 * antenna-topic-node.c    a node: its properties, notified on flush
 * antenna-topic-node-list.c  a node's children, sorted by segment
 * antenna-topic-history.c    a node's history model
 *
 * The tree reads and writes the fields of its nodes directly: adding a
 * message is the per-message path, and calls no function in another file
 * but the message's own getters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-message-ring.h"
#include "antenna-rate.h"
#include "antenna-topic-history-private.h"
#include "antenna-topic-node-list-private.h"
#include "antenna-topic-tree.h"

G_BEGIN_DECLS

/* What changed in a node since the last flush. */
typedef enum {
  DIRTY_MESSAGE  = 1 << 0,  /* message-count, last-message, last-time */
  DIRTY_RETAINED = 1 << 1,
  DIRTY_SUBTREE  = 1 << 2,
  DIRTY_CHILDREN = 1 << 3,  /* pending children to publish */
  DIRTY_HISTORY  = 1 << 4,
} DirtyFlags;

struct _AntennaTopicNode
{
  GObject               parent_instance;

  AntennaTopicNode     *parent;    /* unowned; NULL for the top level's parent and once detached */
  char                 *topic;
  const char           *segment;   /* points into @topic */

  AntennaTopicNodeList *children;  /* created on demand */
  AntennaTopicHistory  *history_model;  /* created on demand */

  AntennaMessage       *last_message;
  AntennaMessageRing    history;

  guint64               message_count;
  guint64               subtree_count;
  AntennaRate           rate;      /* of the subtree */
  guint64               newest_cost;  /* of the history's newest entry, for the budget */
  guint                 dirty;
  guint                 n_children_notified;
  guint                 retained : 1;
  guint                 is_root : 1;
};

AntennaTopicNode *_antenna_topic_node_new    (AntennaTopicNode *parent,
                                             const char       *topic,
                                             gsize             length);
/* Emits notify for what changed since the last flush (@dirty without
 * DIRTY_CHILDREN: the children are published first). */
void              _antenna_topic_node_flush  (AntennaTopicNode *self,
                                             guint             dirty);

static inline AntennaTopicNodeList *
_antenna_topic_node_ensure_children (AntennaTopicNode *self)
{
  if (self->children == NULL)
    self->children = g_object_new (ANTENNA_TYPE_TOPIC_NODE_LIST, NULL);

  return self->children;
}

G_END_DECLS
