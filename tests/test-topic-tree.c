/* test-topic-tree.c: AntennaTopicTree and AntennaTopicNode
 *
 * Every children and history model is watched by a shadow list that only
 * learns from items-changed: after each flush the shadows must equal the
 * models, which is what GtkTreeListModel needs to show the tree right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-test-shadow.h"
#include "antenna-test-utils.h"
#include "antenna-topic-tree.h"

typedef struct
{
  AntennaTopicTree *tree;
  GHashTable       *shadows;          /* children GListModel → AntennaTestShadow */
  GHashTable       *history_shadows;  /* AntennaTopicNode → AntennaTestShadow */
  AntennaTestShadow *root_shadow;
} Fixture;

static void
on_node_added (AntennaTestShadow *shadow,
               gpointer           item,
               gpointer           user_data)
{
  Fixture *f = user_data;
  AntennaTopicNode *node = item;
  GListModel *children = antenna_topic_node_get_children (node);

  g_assert_nonnull (children);
  if (!g_hash_table_contains (f->shadows, children))
    g_hash_table_insert (f->shadows, children, antenna_test_shadow_new (children, on_node_added, f));

  if (!g_hash_table_contains (f->history_shadows, node))
    g_hash_table_insert (f->history_shadows, node,
                         antenna_test_shadow_new (antenna_topic_node_get_history (node), NULL, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tree = antenna_topic_tree_new (GPOINTER_TO_UINT (data));
  f->shadows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) antenna_test_shadow_free);
  f->history_shadows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) antenna_test_shadow_free);
  f->root_shadow = antenna_test_shadow_new (antenna_topic_tree_get_root (f->tree), on_node_added, f);
  g_hash_table_insert (f->shadows, antenna_topic_tree_get_root (f->tree), f->root_shadow);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->shadows, g_hash_table_unref);
  g_clear_pointer (&f->history_shadows, g_hash_table_unref);
  g_assert_finalize_object (f->tree);
}

static AntennaMessage *
make_message (const char *topic,
              const char *payload,
              gboolean    retain)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));

  return antenna_message_new (topic, bytes, 0, retain, FALSE,
                              ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL);
}

static void
add_one (Fixture    *f,
         const char *topic,
         const char *payload,
         gboolean    retain)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (batch, make_message (topic, payload, retain));
  antenna_topic_tree_add_messages (f->tree, batch);
}

/* Every shadow equals its model, every children model is sorted, and each
 * node sits in its parent's model. Returns the number of nodes shown. */
static guint
assert_tree_consistent (Fixture *f)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n_nodes = 0;

  g_hash_table_iter_init (&iter, f->shadows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AntennaTestShadow *shadow = value;
      GPtrArray *items = antenna_test_shadow_get_items (shadow);

      antenna_test_shadow_assert_equal (shadow);
      g_assert_true (g_list_model_get_item_type (key) == ANTENNA_TYPE_TOPIC_NODE);

      for (guint i = 0; i < items->len; i++)
        {
          AntennaTopicNode *node = g_ptr_array_index (items, i);
          AntennaTopicNode *parent = antenna_topic_node_get_parent (node);
          GListModel *expected_model = parent != NULL
                                       ? antenna_topic_node_get_children (parent)
                                       : antenna_topic_tree_get_root (f->tree);

          g_assert_true (expected_model == key);
          g_assert_true (antenna_topic_tree_lookup (f->tree, antenna_topic_node_get_topic (node)) == node);
          g_assert_cmpuint (antenna_topic_node_get_n_children (node), ==,
                            g_list_model_get_n_items (antenna_topic_node_get_children (node)));
          g_assert_cmpint (antenna_topic_node_get_has_children (node), ==,
                           antenna_topic_node_get_n_children (node) > 0);
          if (i > 0)
            {
              AntennaTopicNode *prev = g_ptr_array_index (items, i - 1);

              g_assert_cmpint (antenna_topic_segment_compare (antenna_topic_node_get_segment (prev),
                                                              antenna_topic_node_get_segment (node)), <, 0);
            }
        }
      n_nodes += items->len;
    }

  g_hash_table_iter_init (&iter, f->history_shadows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    antenna_test_shadow_assert_equal (value);

  return n_nodes;
}

static void
test_segment_compare (void)
{
  const char *sorted[] = { "", "0", "01", "1", "2", "9", "010", "10", "100", "B", "a", "a2", "a10", "a10b", "b", "é" };

  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sorted); j++)
      {
        int cmp = antenna_topic_segment_compare (sorted[i], sorted[j]);

        if (i < j)
          g_assert_cmpint (cmp, <, 0);
        else if (i > j)
          g_assert_cmpint (cmp, >, 0);
        else
          g_assert_cmpint (cmp, ==, 0);
      }
}

static void
test_sorted_insertion (Fixture       *f,
                       gconstpointer  data)
{
  const char *segments[] = { "b", "a", "10", "9", "B", "a10", "a2", "zz", "0" };
  const char *expected[] = { "0", "9", "10", "B", "a", "a2", "a10", "b", "zz" };
  GListModel *root = antenna_topic_tree_get_root (f->tree);
  AntennaTopicNode *sensors;
  GListModel *children;

  /* One at a time, flushed each time: insertions at every position. */
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    {
      g_autofree char *topic = g_strdup_printf ("sensors/%s", segments[i]);

      add_one (f, topic, "1", FALSE);
      antenna_topic_tree_flush (f->tree);
      assert_tree_consistent (f);
    }

  g_assert_cmpuint (g_list_model_get_n_items (root), ==, 1);
  sensors = antenna_topic_tree_lookup (f->tree, "sensors");
  children = antenna_topic_node_get_children (sensors);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(AntennaTopicNode) node = g_list_model_get_item (children, i);

      g_assert_cmpstr (antenna_topic_node_get_segment (node), ==, expected[i]);
    }

  /* Many at once, in one flush, between the existing ones. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *topic = g_strdup_printf ("sensors/a%u", 49 - i);

      add_one (f, topic, "1", FALSE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, G_N_ELEMENTS (expected));
  antenna_topic_tree_flush (f->tree);
  /* "a", "a0".."a49" ("a2" and "a10" existed) */
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, G_N_ELEMENTS (expected) + 48);
  assert_tree_consistent (f);
}

/* Past 256 runs of new siblings in one flush a parent's model is reset in
 * one emission; the shadow proves the reset says the truth. */
static void
test_many_runs_reset (Fixture       *f,
                      gconstpointer  data)
{
  AntennaTestShadow *shadow;
  guint before;

  for (guint i = 0; i < 2000; i += 2)
    {
      g_autofree char *topic = g_strdup_printf ("n/%u", i);
      add_one (f, topic, "x", FALSE);
    }
  antenna_topic_tree_flush (f->tree);
  assert_tree_consistent (f);

  shadow = g_hash_table_lookup (f->shadows,
                                antenna_topic_node_get_children (antenna_topic_tree_lookup (f->tree, "n")));
  g_assert_nonnull (shadow);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_test_shadow_get_model (shadow)), ==, 1000);

  before = antenna_test_shadow_get_n_emissions (shadow);
  for (guint i = 1; i < 2000; i += 2)
    {
      g_autofree char *topic = g_strdup_printf ("n/%u", i);
      add_one (f, topic, "x", FALSE);
    }
  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (antenna_test_shadow_get_n_emissions (shadow) - before, ==, 1);
  g_assert_cmpuint (assert_tree_consistent (f), ==, 2001);

  /* A few runs: one emission per run, the rest untouched. */
  before = antenna_test_shadow_get_n_emissions (shadow);
  add_one (f, "n/10a", "x", FALSE);
  add_one (f, "n/10b", "x", FALSE);
  add_one (f, "n/500a", "x", FALSE);
  add_one (f, "n/1999a", "x", FALSE);
  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (antenna_test_shadow_get_n_emissions (shadow) - before, ==, 3);
  g_assert_cmpuint (assert_tree_consistent (f), ==, 2005);
}

typedef struct
{
  guint64         count;
  AntennaMessage *last;
  GQueue          history;   /* of AntennaMessage (owned), oldest first */
  gboolean        retained;
} Expected;

static void
expected_free (gpointer data)
{
  Expected *e = data;

  g_queue_clear_full (&e->history, g_object_unref);
  g_free (e);
}

/* The exact counts: own, subtree (every prefix), history and retained. */
static void
assert_counts (Fixture    *f,
               GHashTable *expected,
               guint       history_limit,
               gboolean    flushed)
{
  g_autoptr(GHashTable) subtree = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint64 total = 0;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *topic = key;
      Expected *e = value;
      AntennaTopicNode *node = antenna_topic_tree_lookup (f->tree, topic);
      GListModel *history;
      guint i = 0;

      g_assert_nonnull (node);
      g_assert_cmpuint (antenna_topic_node_get_message_count (node), ==, e->count);
      g_assert_true (antenna_topic_node_get_last_message (node) == e->last);
      g_assert_cmpint (antenna_topic_node_get_retained (node), ==, e->retained);
      total += e->count;

      /* The history models change on flush. */
      history = antenna_topic_node_get_history (node);
      if (flushed)
        {
          g_assert_cmpuint (g_list_model_get_n_items (history), ==, MIN (e->count, history_limit));
          for (GList *l = e->history.head; l != NULL; l = l->next, i++)
            {
              g_autoptr(AntennaMessage) message = g_list_model_get_item (history, i);
              g_assert_true (message == l->data);
            }
        }

      /* Add this topic's count to itself and every level above. */
      for (const char *end = topic + strlen (topic); ; )
        {
          g_autofree char *prefix = g_strndup (topic, end - topic);
          guint64 sum = GPOINTER_TO_SIZE (g_hash_table_lookup (subtree, prefix));

          g_hash_table_replace (subtree, g_steal_pointer (&prefix), GSIZE_TO_POINTER (sum + e->count));
          while (end > topic && end[-1] != '/')
            end--;
          if (end == topic)
            break;
          end--;
        }
    }

  g_assert_cmpuint (antenna_topic_tree_get_total_count (f->tree), ==, total);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (f->tree), ==, g_hash_table_size (expected));
  /* Every level exists (and is shown after a flush), with the sum of what
   * is below it. */
  if (flushed)
    g_assert_cmpuint (assert_tree_consistent (f), ==, g_hash_table_size (subtree));

  g_hash_table_iter_init (&iter, subtree);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AntennaTopicNode *node = antenna_topic_tree_lookup (f->tree, key);

      g_assert_nonnull (node);
      g_assert_cmpuint (antenna_topic_node_get_subtree_count (node), ==, GPOINTER_TO_SIZE (value));
    }
}

/* 100,000 messages on 1,000 topics of mixed depths (with empty levels,
 * topics that are also parents), history limit 5: every count exact. */
static void
test_counts_flood (Fixture       *f,
                   gconstpointer  data)
{
  const char *pool[] = { "a", "b", "B", "1", "2", "10", "09", "temp", "", "é" };
  const guint history_limit = GPOINTER_TO_UINT (data);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, expected_free);

  while (topics->len < 1000)
    {
      guint depth = g_rand_int_range (rand, 1, 6);
      g_autoptr(GString) topic = g_string_new (NULL);

      for (guint i = 0; i < depth; i++)
        {
          if (i > 0)
            g_string_append_c (topic, '/');
          g_string_append (topic, pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]);
        }
      if (topic->len == 0 || g_hash_table_contains (expected, topic->str))
        continue;
      g_hash_table_insert (expected, g_strdup (topic->str), g_new0 (Expected, 1));
      g_ptr_array_add (topics, g_string_free (g_steal_pointer (&topic), FALSE));
    }
  /* Topics get their first message as the flood goes, not all at once. */
  g_hash_table_remove_all (expected);

  for (guint batch_index = 0; batch_index < 200; batch_index++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < 500; i++)
        {
          /* Skewed: a few topics get most messages, late ones appear late. */
          guint bound = MIN (topics->len, 50 + batch_index * 10);
          const char *topic = g_ptr_array_index (topics, g_rand_int_range (rand, 0, bound) *
                                                         g_rand_int_range (rand, 1, 3) % bound);
          guint kind = g_rand_int_range (rand, 0, 20);
          gboolean retain = kind < 3;
          AntennaMessage *message = make_message (topic, kind == 0 ? "" : "payload", retain);
          Expected *e = g_hash_table_lookup (expected, topic);

          if (e == NULL)
            {
              e = g_new0 (Expected, 1);
              g_hash_table_insert (expected, g_strdup (topic), e);
            }
          e->count++;
          e->last = message;
          if (retain)
            e->retained = kind != 0;
          g_queue_push_tail (&e->history, g_object_ref (message));
          if (e->history.length > history_limit)
            g_object_unref (g_queue_pop_head (&e->history));

          g_ptr_array_add (batch, message);
        }

      antenna_topic_tree_add_messages (f->tree, batch);
      /* The getters are current before the flush. */
      if (batch_index % 50 == 0)
        assert_counts (f, expected, history_limit, FALSE);
      antenna_topic_tree_flush (f->tree);
      if (batch_index % 10 == 0)
        assert_counts (f, expected, history_limit, TRUE);
      else
        assert_tree_consistent (f);
    }

  assert_counts (f, expected, history_limit, TRUE);
  g_assert_cmpuint (antenna_topic_tree_get_total_count (f->tree), ==, 100000);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 1000);

  /* A smaller limit trims every history; the models follow on flush. */
  antenna_topic_tree_set_history_limit (f->tree, 2);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, expected);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Expected *e = value;

        while (e->history.length > 2)
          g_object_unref (g_queue_pop_head (&e->history));
      }
  }
  antenna_topic_tree_flush (f->tree);
  assert_counts (f, expected, 2, TRUE);
}

/* The budget across topics: the history entries other than each topic's
 * newest are evicted in the order they were superseded once they are
 * reckoned to cost more than the budget. A reference model says which
 * entries each topic must still show. */
typedef struct
{
  char           *topic;
  AntennaMessage *message;
} Superseded;

static void
superseded_free (Superseded *entry)
{
  g_free (entry->topic);
  g_object_unref (entry->message);
  g_free (entry);
}

static guint64
entry_cost (AntennaMessage *message)
{
  guint64 cost = antenna_topic_tree_history_cost (message);

  /* At least the payload and the object around it. */
  g_assert_cmpuint (cost, >, antenna_message_get_size (message) + 64);

  return cost;
}

static void
test_history_budget (Fixture       *f,
                     gconstpointer  data)
{
  const guint history_limit = GPOINTER_TO_UINT (data);
  guint64 budget;
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  g_autoptr(GHashTable) histories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GQueue superseded = G_QUEUE_INIT;  /* of Superseded, oldest first */
  guint64 older_bytes = 0;
  guint64 sent = 0;

  {
    g_autoptr(AntennaMessage) typical = make_message ("b/0", "twenty bytes of text", FALSE);

    /* Room for about 40 entries of 20 bytes. */
    budget = 40 * antenna_topic_tree_history_cost (typical);
  }
  antenna_topic_tree_set_history_budget (f->tree, budget);
  g_assert_cmpuint (antenna_topic_tree_get_history_budget (f->tree), ==, budget);

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_rand_int_range (rand, 1, 30);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *topic = g_strdup_printf ("b/%d", g_rand_int_range (rand, 0, 12));
          g_autofree char *payload = g_strnfill (g_rand_int_range (rand, 0, 40), 'p');
          AntennaMessage *message = make_message (topic, payload, FALSE);
          GQueue *history = g_hash_table_lookup (histories, topic);

          if (history == NULL)
            {
              history = g_queue_new ();
              g_hash_table_insert (histories, g_strdup (topic), history);
            }

          if (!g_queue_is_empty (history))
            {
              Superseded *entry = g_new (Superseded, 1);

              entry->topic = g_strdup (topic);
              entry->message = g_object_ref (g_queue_peek_tail (history));
              g_queue_push_tail (&superseded, entry);
              older_bytes += entry_cost (entry->message);
            }
          g_queue_push_tail (history, message);
          if (history->length > history_limit)
            {
              g_autoptr(AntennaMessage) trimmed = g_queue_pop_head (history);

              older_bytes -= entry_cost (trimmed);
            }

          g_ptr_array_add (batch, g_object_ref (message));
          sent++;
        }
      antenna_topic_tree_add_messages (f->tree, batch);

      while (older_bytes > budget && !g_queue_is_empty (&superseded))
        {
          Superseded *entry = g_queue_pop_head (&superseded);
          GQueue *history = g_hash_table_lookup (histories, entry->topic);

          if (g_queue_peek_head (history) == entry->message)
            {
              g_object_unref (g_queue_pop_head (history));
              older_bytes -= entry_cost (entry->message);
            }
          superseded_free (entry);
        }

      g_assert_cmpuint (antenna_topic_tree_get_history_size (f->tree), ==, older_bytes);
      g_assert_cmpuint (antenna_topic_tree_get_history_size (f->tree), <=, budget);

      antenna_topic_tree_flush (f->tree);
      assert_tree_consistent (f);

      {
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, histories);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            AntennaTopicNode *node = antenna_topic_tree_lookup (f->tree, key);
            GListModel *model = antenna_topic_node_get_history (node);
            GQueue *history = value;
            guint i = 0;

            g_assert_cmpuint (g_list_model_get_n_items (model), ==, history->length);
            g_assert_cmpuint (history->length, >=, 1);
            for (GList *l = history->head; l != NULL; l = l->next, i++)
              {
                g_autoptr(AntennaMessage) shown = g_list_model_get_item (model, i);

                g_assert_true (shown == l->data);
              }
            g_assert_true (g_queue_peek_tail (history) == antenna_topic_node_get_last_message (node));
          }
      }
    }

  g_assert_cmpuint (antenna_topic_tree_get_total_count (f->tree), ==, sent);

  /* A smaller budget evicts at once; zero keeps only each topic's newest. */
  antenna_topic_tree_set_history_budget (f->tree, 0);
  g_assert_cmpuint (antenna_topic_tree_get_history_size (f->tree), ==, 0);
  antenna_topic_tree_flush (f->tree);
  assert_tree_consistent (f);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, histories);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        AntennaTopicNode *node = antenna_topic_tree_lookup (f->tree, key);

        g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_node_get_history (node)), ==, 1);
      }
  }

  /* A clear forgets the account with the topics. */
  antenna_topic_tree_set_history_budget (f->tree, budget);
  antenna_topic_tree_clear (f->tree);
  g_assert_cmpuint (antenna_topic_tree_get_history_size (f->tree), ==, 0);
  add_one (f, "b/0", "x", FALSE);
  add_one (f, "b/0", "y", FALSE);
  {
    AntennaTopicNode *node = antenna_topic_tree_lookup (f->tree, "b/0");
    g_autoptr(AntennaMessage) first = NULL;

    antenna_topic_tree_flush (f->tree);
    first = g_list_model_get_item (antenna_topic_node_get_history (node), 0);
    g_assert_cmpuint (antenna_topic_tree_get_history_size (f->tree), ==,
                      antenna_topic_tree_history_cost (first));
  }

  g_queue_clear_full (&superseded, (GDestroyNotify) superseded_free);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, histories);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_queue_free_full (value, g_object_unref);
  }
}

static void
test_retained (Fixture       *f,
               gconstpointer  data)
{
  AntennaTopicNode *node;

  add_one (f, "home/door", "open", TRUE);
  node = antenna_topic_tree_lookup (f->tree, "home/door");
  g_assert_true (antenna_topic_node_get_retained (node));
  g_assert_false (antenna_topic_node_get_retained (antenna_topic_tree_lookup (f->tree, "home")));

  /* A live update leaves the broker's retained message where it is. */
  add_one (f, "home/door", "closed", FALSE);
  g_assert_true (antenna_topic_node_get_retained (node));

  /* An empty retained message clears it. */
  add_one (f, "home/door", "", TRUE);
  g_assert_false (antenna_topic_node_get_retained (node));
  g_assert_cmpuint (antenna_message_get_size (antenna_topic_node_get_last_message (node)), ==, 0);
  g_assert_cmpuint (antenna_topic_node_get_message_count (node), ==, 3);

  add_one (f, "home/door", "open", FALSE);
  g_assert_false (antenna_topic_node_get_retained (node));
  add_one (f, "home/door", "ajar", TRUE);
  g_assert_true (antenna_topic_node_get_retained (node));
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  AntennaTopicNode *node, *parent, *empty;

  g_assert_null (antenna_topic_tree_lookup (f->tree, "a"));
  add_one (f, "a/b/c", "1", FALSE);
  add_one (f, "/leading", "1", FALSE);
  add_one (f, "x//y/", "1", FALSE);

  /* Found before any flush, though the models do not show it yet. */
  node = antenna_topic_tree_lookup (f->tree, "a/b/c");
  g_assert_nonnull (node);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (f->tree)), ==, 0);
  g_assert_cmpstr (antenna_topic_node_get_segment (node), ==, "c");
  g_assert_cmpstr (antenna_topic_node_get_topic (node), ==, "a/b/c");

  parent = antenna_topic_node_get_parent (node);
  g_assert_true (parent == antenna_topic_tree_lookup (f->tree, "a/b"));
  g_assert_cmpstr (antenna_topic_node_get_segment (parent), ==, "b");
  g_assert_cmpuint (antenna_topic_node_get_message_count (parent), ==, 0);
  g_assert_cmpuint (antenna_topic_node_get_subtree_count (parent), ==, 1);
  g_assert_null (antenna_topic_node_get_last_message (parent));
  g_assert_null (antenna_topic_node_get_parent (antenna_topic_tree_lookup (f->tree, "a")));

  /* Empty levels are levels. */
  empty = antenna_topic_tree_lookup (f->tree, "");
  g_assert_nonnull (empty);
  g_assert_cmpstr (antenna_topic_node_get_segment (empty), ==, "");
  g_assert_true (antenna_topic_node_get_parent (antenna_topic_tree_lookup (f->tree, "/leading")) == empty);
  g_assert_nonnull (antenna_topic_tree_lookup (f->tree, "x/"));
  g_assert_nonnull (antenna_topic_tree_lookup (f->tree, "x//y"));
  g_assert_cmpuint (antenna_topic_node_get_message_count (antenna_topic_tree_lookup (f->tree, "x//y/")), ==, 1);
  g_assert_null (antenna_topic_tree_lookup (f->tree, "a/b/c/d"));
  g_assert_null (antenna_topic_tree_lookup (f->tree, "a/b/"));
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (f->tree), ==, 3);

  /* A leaf has an empty children model, never NULL. */
  g_assert_nonnull (antenna_topic_node_get_children (node));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_node_get_children (node)), ==, 0);
  g_assert_false (antenna_topic_node_get_has_children (node));

  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (assert_tree_consistent (f), ==, 9);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (f->tree)), ==, 3);

  /* The leaf gains a child later: its model (already handed out) grows. */
  add_one (f, "a/b/c/d", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  g_assert_true (antenna_topic_node_get_has_children (node));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_node_get_children (node)), ==, 1);
  assert_tree_consistent (f);
}

typedef struct
{
  GHashTable *counts;  /* property name → count */
} NotifyLog;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              NotifyLog  *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_replace (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
test_notify_on_flush (Fixture       *f,
                      gconstpointer  data)
{
  NotifyLog node_log = { g_hash_table_new (g_str_hash, g_str_equal) };
  NotifyLog parent_log = { g_hash_table_new (g_str_hash, g_str_equal) };
  NotifyLog tree_log = { g_hash_table_new (g_str_hash, g_str_equal) };
  AntennaTopicNode *node, *parent;

  add_one (f, "p/n", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  node = antenna_topic_tree_lookup (f->tree, "p/n");
  parent = antenna_topic_tree_lookup (f->tree, "p");
  /* Detailed, the way bindings and expressions connect. */
  g_signal_connect (node, "notify::message-count", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::subtree-count", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::last-message", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::last-time", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::retained", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::n-children", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (node, "notify::has-children", G_CALLBACK (on_notify_cb), &node_log);
  g_signal_connect (parent, "notify", G_CALLBACK (on_notify_cb), &parent_log);
  g_signal_connect (f->tree, "notify", G_CALLBACK (on_notify_cb), &tree_log);

  for (guint i = 0; i < 10; i++)
    add_one (f, "p/n", "1", TRUE);
  g_assert_cmpuint (g_hash_table_size (node_log.counts), ==, 0);
  g_assert_cmpuint (g_hash_table_size (tree_log.counts), ==, 0);
  g_assert_cmpuint (antenna_topic_node_get_message_count (node), ==, 11);

  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (notify_count (&node_log, "message-count"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "subtree-count"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "last-message"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "last-time"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "retained"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "n-children"), ==, 0);
  g_assert_cmpuint (notify_count (&parent_log, "subtree-count"), ==, 1);
  g_assert_cmpuint (notify_count (&parent_log, "message-count"), ==, 0);
  g_assert_cmpuint (notify_count (&tree_log, "total-count"), ==, 1);
  g_assert_cmpuint (notify_count (&tree_log, "n-topics"), ==, 0);

  /* Nothing changed: nothing emitted. */
  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (notify_count (&node_log, "message-count"), ==, 1);
  g_assert_cmpuint (notify_count (&tree_log, "total-count"), ==, 1);

  /* A sibling: the parent's children and subtree change, not the node. */
  add_one (f, "p/m", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (notify_count (&node_log, "message-count"), ==, 1);
  g_assert_cmpuint (notify_count (&parent_log, "n-children"), ==, 1);
  g_assert_cmpuint (notify_count (&parent_log, "has-children"), ==, 0);
  g_assert_cmpuint (notify_count (&parent_log, "subtree-count"), ==, 2);
  g_assert_cmpuint (notify_count (&tree_log, "n-topics"), ==, 1);

  /* The leaf's first child. */
  add_one (f, "p/n/c", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  g_assert_cmpuint (notify_count (&node_log, "has-children"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "n-children"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "message-count"), ==, 1);
  g_assert_cmpuint (notify_count (&node_log, "subtree-count"), ==, 2);

  g_signal_handlers_disconnect_by_data (node, &node_log);
  g_signal_handlers_disconnect_by_data (parent, &parent_log);
  g_signal_handlers_disconnect_by_data (f->tree, &tree_log);
  g_hash_table_unref (node_log.counts);
  g_hash_table_unref (parent_log.counts);
  g_hash_table_unref (tree_log.counts);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_object_unref);
  AntennaTopicNode *node;
  GListModel *history;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *payload = g_strdup_printf ("%u", i);
      AntennaMessage *message = make_message ("h", payload, FALSE);

      g_ptr_array_add (sent, message);
      antenna_topic_tree_add_messages (f->tree, &(GPtrArray) { .pdata = (gpointer *) &message, .len = 1 });
    }

  node = antenna_topic_tree_lookup (f->tree, "h");
  history = antenna_topic_node_get_history (node);
  g_assert_true (g_list_model_get_item_type (history) == ANTENNA_TYPE_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);

  /* Eight more with a limit of 5, before a flush: still the old three. */
  for (guint i = 3; i < 11; i++)
    {
      g_autofree char *payload = g_strdup_printf ("%u", i);
      AntennaMessage *message = make_message ("h", payload, FALSE);

      g_ptr_array_add (sent, message);
      antenna_topic_tree_add_messages (f->tree, &(GPtrArray) { .pdata = (gpointer *) &message, .len = 1 });
    }
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);
  {
    g_autoptr(AntennaMessage) first = g_list_model_get_item (history, 0);
    g_assert_true (first == g_ptr_array_index (sent, 0));
  }

  antenna_topic_tree_flush (f->tree);
  assert_tree_consistent (f);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(AntennaMessage) message = g_list_model_get_item (history, i);
      g_assert_true (message == g_ptr_array_index (sent, 6 + i));
    }
  g_assert_cmpuint (antenna_topic_node_get_message_count (node), ==, 11);

  /* Two more: two evicted from the front, two appended. */
  for (guint i = 0; i < 2; i++)
    add_one (f, "h", "x", FALSE);
  antenna_topic_tree_flush (f->tree);
  assert_tree_consistent (f);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 5);
  {
    g_autoptr(AntennaMessage) first = g_list_model_get_item (history, 0);
    g_assert_true (first == g_ptr_array_index (sent, 8));
  }
}

static void
test_clear (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaTopicNode) kept = NULL;

  add_one (f, "a/b", "1", FALSE);
  add_one (f, "c", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  kept = g_object_ref (antenna_topic_tree_lookup (f->tree, "a/b"));

  antenna_topic_tree_clear (f->tree);
  /* At once, without a flush. */
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (f->tree)), ==, 0);
  antenna_test_shadow_assert_equal (f->root_shadow);
  g_assert_cmpuint (antenna_topic_tree_get_total_count (f->tree), ==, 0);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (f->tree), ==, 0);
  g_assert_null (antenna_topic_tree_lookup (f->tree, "a/b"));
  g_assert_null (antenna_topic_tree_lookup (f->tree, "a"));

  /* A node held elsewhere survives, detached. */
  g_assert_null (antenna_topic_node_get_parent (kept));
  g_assert_cmpstr (antenna_topic_node_get_topic (kept), ==, "a/b");
  g_assert_cmpuint (antenna_topic_node_get_message_count (kept), ==, 1);

  add_one (f, "a/b", "1", FALSE);
  antenna_topic_tree_flush (f->tree);
  g_assert_true (antenna_topic_tree_lookup (f->tree, "a/b") != kept);
  g_assert_cmpuint (antenna_topic_node_get_message_count (antenna_topic_tree_lookup (f->tree, "a/b")), ==, 1);
  antenna_test_shadow_assert_equal (f->root_shadow);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (f->tree)), ==, 1);
}

static void
on_notify_clear_cb (GObject          *object,
                    GParamSpec       *pspec,
                    AntennaTopicTree *tree)
{
  antenna_topic_tree_clear (tree);
}

/* A notify handler that clears the tree in the middle of a flush: the rest
 * of the flush must not touch freed nodes (run under ASan / valgrind). No
 * shadows here: they would keep the nodes alive. */
static void
test_clear_during_flush (void)
{
  g_autoptr(AntennaTopicTree) tree = antenna_topic_tree_new (5);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  AntennaTopicNode *node;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *topic = g_strdup_printf ("x/%u/y", i);
      g_ptr_array_add (batch, make_message (topic, "1", TRUE));
    }
  antenna_topic_tree_add_messages (tree, batch);
  antenna_topic_tree_flush (tree);

  node = antenna_topic_tree_lookup (tree, "x/50/y");
  g_signal_connect_object (node, "notify::message-count", G_CALLBACK (on_notify_clear_cb), tree, 0);
  g_ptr_array_set_size (batch, 0);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *topic = g_strdup_printf ("x/%u/y", i);
      g_ptr_array_add (batch, make_message (topic, "", TRUE));
    }
  antenna_topic_tree_add_messages (tree, batch);
  antenna_topic_tree_flush (tree);

  g_assert_cmpuint (antenna_topic_tree_get_total_count (tree), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (tree)), ==, 0);

  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_message ("after", "1", FALSE));
  antenna_topic_tree_add_messages (tree, batch);
  antenna_topic_tree_flush (tree);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_get_root (tree)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/topic-tree/segment-compare", test_segment_compare);
  g_test_add_func ("/antenna/topic-tree/clear-during-flush", test_clear_during_flush);
#define ADD(path, func, limit) \
  g_test_add ("/antenna/topic-tree/" path, Fixture, GUINT_TO_POINTER (limit), \
              fixture_set_up, func, fixture_tear_down)
  ADD ("sorted-insertion", test_sorted_insertion, 100);
  ADD ("many-runs-reset", test_many_runs_reset, 100);
  ADD ("counts-flood", test_counts_flood, 5);
  ADD ("retained", test_retained, 100);
  ADD ("lookup", test_lookup, 100);
  ADD ("notify-on-flush", test_notify_on_flush, 100);
  ADD ("history", test_history, 5);
  ADD ("history-budget", test_history_budget, 8);
  ADD ("clear", test_clear, 100);

#undef ADD

  return g_test_run ();
}
