/* antenna-topic-tree-view.h: the live tree of the topics seen on a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TOPIC_TREE_VIEW (antenna_topic_tree_view_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTopicTreeView, antenna_topic_tree_view, ANTENNA, TOPIC_TREE_VIEW, AdwBin)

/* Properties: tree (construct-only), selected-node (AntennaTopicNode or NULL),
 * search-text, search-payloads, live (TRUE; FALSE for the topics of a
 * capture: words that mean no connection).
 * Actions: topic-tree.expand-all, topic-tree.collapse-all. The context menu
 * refers to page.clear-retained and page.clear-retained-subtree, and the
 * options menu to page.show-sparkplug: hidden on a page without them. */
GtkWidget        *antenna_topic_tree_view_new               (AntennaTopicTree     *tree);
AntennaTopicTree *antenna_topic_tree_view_get_tree          (AntennaTopicTreeView *self);
gboolean          antenna_topic_tree_view_get_live          (AntennaTopicTreeView *self);
void              antenna_topic_tree_view_set_live          (AntennaTopicTreeView *self,
                                                             gboolean              live);
AntennaTopicNode *antenna_topic_tree_view_get_selected_node (AntennaTopicTreeView *self);
/* Selects the node of @topic, expanding its parents; FALSE when unknown or filtered out. */
gboolean          antenna_topic_tree_view_select_topic      (AntennaTopicTreeView *self,
                                                             const char           *topic);
void              antenna_topic_tree_view_set_search_text   (AntennaTopicTreeView *self,
                                                             const char           *text);
void              antenna_topic_tree_view_focus_search      (AntennaTopicTreeView *self);
void              antenna_topic_tree_view_expand_all        (AntennaTopicTreeView *self);
void              antenna_topic_tree_view_collapse_all      (AntennaTopicTreeView *self);
/* Called by the page once per frame after antenna_topic_tree_flush(): ages
 * the highlights and the "time since" labels of the visible rows. Returns
 * whether a highlight is still fading (the page keeps ticking). */
gboolean          antenna_topic_tree_view_tick              (AntennaTopicTreeView *self,
                                                             gint64                now);
/* The rows currently shown (after the search), for tests. */
GListModel       *antenna_topic_tree_view_get_rows          (AntennaTopicTreeView *self);

/* The connection's decoding settings, for the rows' previews. */
void              antenna_topic_tree_view_set_decoder_context (AntennaTopicTreeView  *self,
                                                               AntennaDecoderContext *context);

G_END_DECLS
