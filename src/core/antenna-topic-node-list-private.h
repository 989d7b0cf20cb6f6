/* antenna-topic-node-list-private.h: the children of a topic node
 *
 * AntennaTopicNodeList: the children of a node, a GListModel of
 * AntennaTopicNode sorted by segment (antenna_topic_segment_compare()).
 * @items is what the model shows; @pending holds the children created since
 * the last flush, which _antenna_topic_node_list_publish() moves in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_NODE_LIST (antenna_topic_node_list_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicNodeList, antenna_topic_node_list, ANTENNA, TOPIC_NODE_LIST, GObject)

struct _AntennaTopicNodeList
{
  GObject    parent_instance;
  GPtrArray *items;    /* of AntennaTopicNode (owned) */
  GPtrArray *pending;  /* of AntennaTopicNode (owned), unsorted */
};

void _antenna_topic_node_list_publish (AntennaTopicNodeList *self);
void _antenna_topic_node_list_clear   (AntennaTopicNodeList *self);

G_END_DECLS
