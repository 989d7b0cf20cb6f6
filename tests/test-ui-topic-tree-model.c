/* test-ui-topic-tree-model.c: AntennaTopicTree under a real GtkTreeListModel
 *
 * The tree's emissions drive GTK's own GtkTreeListModel (what the topic
 * tree view shows): after every flush its rows must be the depth-first walk
 * of the tree, and rows a person expanded or collapsed keep that state
 * while new topics arrive around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "antenna-message.h"
#include "antenna-topic-tree.h"
#include "antenna-test-utils.h"

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  /* Every node has a children model, empty for a leaf. */
  return g_object_ref (antenna_topic_node_get_children (item));
}

static void
add_topic (AntennaTopicTree *tree,
           const char       *topic)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) payload = g_bytes_new_static ("1", 1);

  g_ptr_array_add (batch, antenna_message_new (topic, payload, 0, FALSE, FALSE,
                                               ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL));
  antenna_topic_tree_add_messages (tree, batch);
}

static const char *
row_topic (GtkTreeListRow *row)
{
  g_autoptr(AntennaTopicNode) node = gtk_tree_list_row_get_item (row);

  /* The tree keeps the node alive. */
  return antenna_topic_node_get_topic (node);
}

/* The rows GtkTreeListModel should show: a depth-first walk that enters the
 * children of the nodes in @expanded (all when @expanded is NULL). */
static void
walk (GListModel *model,
      GHashTable *expanded,
      GPtrArray  *rows)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AntennaTopicNode) node = g_list_model_get_item (model, i);

      g_ptr_array_add (rows, node);
      if (expanded == NULL || g_hash_table_contains (expanded, antenna_topic_node_get_topic (node)))
        walk (antenna_topic_node_get_children (node), expanded, rows);
    }
}

static void
assert_rows (GtkTreeListModel *list,
             AntennaTopicTree *tree,
             GHashTable       *expanded)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  walk (antenna_topic_tree_get_root (tree), expanded, rows);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autoptr(AntennaTopicNode) node = gtk_tree_list_row_get_item (row);

      g_assert_true (node == g_ptr_array_index (rows, i));
      if (expanded != NULL)
        g_assert_cmpint (gtk_tree_list_row_get_expanded (row), ==,
                         g_hash_table_contains (expanded, antenna_topic_node_get_topic (node)));
    }
}

/* Everything expanded (autoexpand): a flood of new topics at every level. */
static void
test_autoexpand_flood (void)
{
  g_autoptr(AntennaTopicTree) tree = antenna_topic_tree_new (5);
  g_autoptr(GtkTreeListModel) list = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  list = gtk_tree_list_model_new (g_object_ref (antenna_topic_tree_get_root (tree)),
                                  FALSE, TRUE, create_children_cb, NULL, NULL);

  for (guint flush = 0; flush < 60; flush++)
    {
      guint n = g_rand_int_range (rand, 1, 400);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *topic = g_strdup_printf ("s%d/d%d/v%d",
                                                    g_rand_int_range (rand, 0, 8),
                                                    g_rand_int_range (rand, 0, 40),
                                                    g_rand_int_range (rand, 0, 30));
          add_topic (tree, topic);
        }
      antenna_topic_tree_flush (tree);
      assert_rows (list, tree, NULL);
    }

  /* Past the reset threshold: hundreds of runs under one parent. */
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *topic = g_strdup_printf ("wide/%u", i * 2);
      add_topic (tree, topic);
    }
  antenna_topic_tree_flush (tree);
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *topic = g_strdup_printf ("wide/%u/x", i * 2 + 1);
      add_topic (tree, topic);
    }
  antenna_topic_tree_flush (tree);
  assert_rows (list, tree, NULL);

  g_assert_finalize_object (g_steal_pointer (&list));
  g_assert_finalize_object (g_steal_pointer (&tree));
}

/* Rows a person expanded stay expanded, collapsed ones stay collapsed, and a
 * leaf that gains a child becomes expandable. */
static void
test_expanded_state_kept (void)
{
  g_autoptr(AntennaTopicTree) tree = antenna_topic_tree_new (5);
  g_autoptr(GtkTreeListModel) list = NULL;
  g_autoptr(GHashTable) expanded = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkTreeListRow) row = NULL;

  list = gtk_tree_list_model_new (g_object_ref (antenna_topic_tree_get_root (tree)),
                                  FALSE, FALSE, create_children_cb, NULL, NULL);

  add_topic (tree, "home/kitchen/temp");
  add_topic (tree, "home/garage/temp");
  add_topic (tree, "office/temp");
  add_topic (tree, "leaf");
  antenna_topic_tree_flush (tree);
  assert_rows (list, tree, expanded);

  /* Expand "home" and "home/kitchen". */
  row = gtk_tree_list_model_get_row (list, 0);
  g_assert_cmpstr (row_topic (row), ==, "home");
  gtk_tree_list_row_set_expanded (row, TRUE);
  g_hash_table_add (expanded, (gpointer) "home");
  g_clear_object (&row);
  row = gtk_tree_list_model_get_row (list, 2);
  g_assert_cmpstr (row_topic (row), ==, "home/kitchen");
  gtk_tree_list_row_set_expanded (row, TRUE);
  g_hash_table_add (expanded, (gpointer) "home/kitchen");
  g_clear_object (&row);
  assert_rows (list, tree, expanded);

  /* New siblings before, between and after; new children inside. */
  add_topic (tree, "aaa");
  add_topic (tree, "home/attic/temp");
  add_topic (tree, "home/kitchen/humidity");
  add_topic (tree, "home/kitchen/co2");
  add_topic (tree, "home/zzz");
  add_topic (tree, "zzz");
  antenna_topic_tree_flush (tree);
  assert_rows (list, tree, expanded);

  /* A leaf that gains a child can be expanded. */
  add_topic (tree, "leaf/child");
  antenna_topic_tree_flush (tree);
  assert_rows (list, tree, expanded);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(GtkTreeListRow) r = gtk_tree_list_model_get_row (list, i);

      if (g_strcmp0 (row_topic (r), "leaf") == 0)
        {
          g_assert_true (gtk_tree_list_row_is_expandable (r));
          gtk_tree_list_row_set_expanded (r, TRUE);
          g_hash_table_add (expanded, (gpointer) "leaf");
        }
    }
  assert_rows (list, tree, expanded);

  add_topic (tree, "leaf/another");
  antenna_topic_tree_flush (tree);
  assert_rows (list, tree, expanded);

  g_assert_finalize_object (g_steal_pointer (&list));
  g_assert_finalize_object (g_steal_pointer (&tree));
}

int
main (int   argc,
      char *argv[])
{
  /* GtkTreeListModel needs no display. */
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/topic-tree/gtk-tree-list-model/autoexpand-flood", test_autoexpand_flood);
  g_test_add_func ("/antenna/topic-tree/gtk-tree-list-model/expanded-state-kept", test_expanded_state_kept);

  return g_test_run ();
}
