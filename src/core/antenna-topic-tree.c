/* antenna-topic-tree.c: every topic seen on a connection, as a tree
 *
 * A message costs one hash lookup (full topic → node), two references
 * (last message, history) and a walk up the parents (the depth of the topic)
 * to count it; nothing is emitted until antenna_topic_tree_flush(). Changes
 * are remembered in a list of "dirty" nodes, each with flags saying what
 * changed, so a flush costs what changed since the previous one, not the size
 * of the tree nor the number of messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-tree"

#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-message-private.h"
#include "antenna-topic-tree-private.h"

/* HistoryQueue: (node, ring position) of every history entry that is not its
 * topic's newest, in the order they stopped being so (when the next message
 * of their topic came). The tree's memory budget evicts from its head;
 * entries a topic's own limit trimmed meanwhile are stale (below the ring's
 * low) and skipped. */
typedef struct
{
  AntennaTopicNode *node;  /* unowned: held by the tree's table until a clear, which empties the queue */
  guint64           pos;
  guint64           cost;    /* kept here: evicting need not read the message */
} HistoryEntry;

typedef struct
{
  HistoryEntry *buf;
  gsize         mask;
  guint64       low;
  guint64       high;
} HistoryQueue;

/* What a history entry costs besides the message's own memory: its slot
 * in the topic's ring and its entry in the budget's queue. */
#define HISTORY_SLOT_BYTES (sizeof (AntennaMessage *) + sizeof (HistoryEntry))

struct _AntennaTopicTree
{
  GObject           parent_instance;

  AntennaTopicNode *root;     /* hidden: its children are the top level */
  GHashTable       *nodes;    /* full topic → AntennaTopicNode (owned) */
  GPtrArray        *dirty;    /* of AntennaTopicNode (unowned: held by @nodes or @root) */
  GPtrArray        *dirty_spare;
  GPtrArray        *graveyard;  /* of AntennaTopicNode (owned): dropped during a flush */
  guint             flushing;

  guint             history_limit;
  guint64           history_budget;
  guint64           older_bytes;   /* history entries other than each topic's newest */
  guint64           n_older;
  HistoryQueue      older;         /* those entries, oldest first (some stale) */
  guint             n_topics;
  guint64           total_count;
  gint64            batch_second;  /* antenna_rate_now (), read once per batch */
  gboolean          no_rates;      /* messages read from a file: no rate to tell */
  guint             n_topics_notified;
  guint64           total_count_notified;
};

enum {
  PROP_0,
  PROP_HISTORY_LIMIT,
  PROP_HISTORY_BUDGET,
  PROP_TOTAL_COUNT,
  PROP_N_TOPICS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaTopicTree, antenna_topic_tree, G_TYPE_OBJECT)

static void
tree_mark_dirty (AntennaTopicTree *self,
                 AntennaTopicNode *node,
                 guint             flags)
{
  if (node->dirty == 0)
    g_ptr_array_add (self->dirty, node);
  node->dirty |= flags;
}

/* The history's memory budget */

static void
history_queue_push (HistoryQueue     *queue,
                    AntennaTopicNode *node,
                    guint64           pos,
                    guint64           cost)
{
  if (queue->buf == NULL || queue->high - queue->low > queue->mask)
    {
      gsize old_capacity = queue->buf != NULL ? queue->mask + 1 : 0;
      gsize capacity = old_capacity != 0 ? old_capacity * 2 : 256;
      HistoryEntry *buf = g_new (HistoryEntry, capacity);

      for (guint64 i = queue->low; i < queue->high; i++)
        buf[i & (capacity - 1)] = queue->buf[i & queue->mask];
      g_free (queue->buf);
      queue->buf = buf;
      queue->mask = capacity - 1;
    }

  queue->buf[queue->high & queue->mask] = (HistoryEntry) { node, pos, cost };
  queue->high++;
}

static void
history_queue_clear (HistoryQueue *queue)
{
  g_clear_pointer (&queue->buf, g_free);
  queue->mask = 0;
  queue->low = queue->high = 0;
}

static inline gboolean
history_entry_is_stale (const HistoryEntry *entry)
{
  return entry->pos < entry->node->history.low;
}

/* Keeps the live entries only, in order, once stale ones are the majority:
 * O(1) per entry amortised, and the queue stays within twice the history. */
static void
tree_compact_older (AntennaTopicTree *self)
{
  HistoryQueue *queue = &self->older;
  guint64 out = queue->low;

  if (queue->high - queue->low <= 2 * self->n_older + 1024)
    return;

  for (guint64 i = queue->low; i < queue->high; i++)
    {
      HistoryEntry entry = queue->buf[i & queue->mask];

      if (!history_entry_is_stale (&entry))
        queue->buf[out++ & queue->mask] = entry;
    }
  queue->high = out;
}

static inline guint64
history_entry_cost (AntennaMessage *message)
{
  return HISTORY_SLOT_BYTES + antenna_message_get_footprint (message);
}

guint64
antenna_topic_tree_history_cost (AntennaMessage *message)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), 0);

  return history_entry_cost (message);
}

/* Removes @node's oldest history entry, keeping the budget's account;
 * @cost: the entry's if known, else 0. */
static void
tree_pop_history (AntennaTopicTree *self,
                  AntennaTopicNode *node,
                  guint64           cost)
{
  AntennaMessageRing *ring = &node->history;
  gboolean older = ring->high - ring->low > 1;
  AntennaMessage *message = antenna_message_ring_pop (ring);

  if (older)
    {
      self->older_bytes -= cost != 0 ? cost : history_entry_cost (message);
      self->n_older--;
    }
  g_object_unref (message);
}

/* Evicts the oldest history entries across all topics until what they are
 * reckoned to cost fits the budget. A topic's newest message is never
 * evicted (it is also its last message). */
static void
tree_enforce_budget (AntennaTopicTree *self)
{
  HistoryQueue *queue = &self->older;

  while (self->older_bytes > self->history_budget && queue->low < queue->high)
    {
      HistoryEntry entry = queue->buf[queue->low & queue->mask];

      queue->low++;
      if (history_entry_is_stale (&entry))
        continue;

      g_assert (entry.pos == entry.node->history.low);
      tree_pop_history (self, entry.node, entry.cost);
      tree_mark_dirty (self, entry.node, DIRTY_HISTORY);
    }

  tree_compact_older (self);
}

/* The node of @topic[0..length), created with its missing parents. */
static AntennaTopicNode *
tree_ensure_node (AntennaTopicTree *self,
                  const char       *topic,
                  gsize             length)
{
  AntennaTopicNode *parent;
  AntennaTopicNode *node;
  const char *slash;

  {
    g_autofree char *key = g_strndup (topic, length);

    node = g_hash_table_lookup (self->nodes, key);
    if (node != NULL)
      return node;
  }

  slash = g_strrstr_len (topic, length, "/");
  parent = slash != NULL ? tree_ensure_node (self, topic, slash - topic) : self->root;

  node = _antenna_topic_node_new (parent == self->root ? NULL : parent, topic, length);
  g_hash_table_insert (self->nodes, node->topic, node);
  g_ptr_array_add (_antenna_topic_node_ensure_children (parent)->pending, g_object_ref (node));
  tree_mark_dirty (self, parent, DIRTY_CHILDREN);

  return node;
}

static void
tree_add_message (AntennaTopicTree *self,
                  AntennaMessage   *message)
{
  const char *topic = antenna_message_get_topic (message);
  AntennaTopicNode *node;
  guint flags = DIRTY_MESSAGE | DIRTY_SUBTREE;

  node = g_hash_table_lookup (self->nodes, topic);
  if G_UNLIKELY (node == NULL)
    node = tree_ensure_node (self, topic, strlen (topic));

  if (node->message_count++ == 0)
    self->n_topics++;
  self->total_count++;

  g_set_object (&node->last_message, message);

  if (antenna_message_get_retain (message))
    {
      gboolean retained = antenna_message_get_size (message) > 0;

      if (node->retained != retained)
        {
          node->retained = retained;
          flags |= DIRTY_RETAINED;
        }
    }

  if (self->history_limit > 0)
    {
      AntennaMessageRing *ring = &node->history;

      /* The newest so far becomes an older entry, under the budget. */
      if (ring->high > ring->low)
        {
          self->older_bytes += node->newest_cost;
          self->n_older++;
          history_queue_push (&self->older, node, ring->high - 1, node->newest_cost);
        }

      antenna_message_ring_push (ring, message);
      node->newest_cost = history_entry_cost (message);
      if (antenna_message_ring_length (ring) > self->history_limit)
        tree_pop_history (self, node, 0);
      flags |= DIRTY_HISTORY;
    }

  node->subtree_count++;
  if (!self->no_rates)
    antenna_rate_add (&node->rate, self->batch_second, 1);
  tree_mark_dirty (self, node, flags);

  for (AntennaTopicNode *up = node->parent; up != NULL; up = up->parent)
    {
      up->subtree_count++;
      if (!self->no_rates)
        antenna_rate_add (&up->rate, self->batch_second, 1);
      tree_mark_dirty (self, up, DIRTY_SUBTREE);
    }
}

static void
tree_trim_history (AntennaTopicTree *self,
                   AntennaTopicNode *node)
{
  if (antenna_message_ring_length (&node->history) <= self->history_limit)
    return;

  while (antenna_message_ring_length (&node->history) > self->history_limit)
    tree_pop_history (self, node, 0);
  tree_mark_dirty (self, node, DIRTY_HISTORY);
}

static void
tree_notify_counts (AntennaTopicTree *self)
{
  if (self->total_count != self->total_count_notified)
    {
      self->total_count_notified = self->total_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_COUNT]);
    }

  if (self->n_topics != self->n_topics_notified)
    {
      self->n_topics_notified = self->n_topics;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOPICS]);
    }
}

/* Forgets every node: detached nodes keep their own data but no parent. */
static void
tree_drop_nodes (AntennaTopicTree *self)
{
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < self->dirty->len; i++)
    ((AntennaTopicNode *) g_ptr_array_index (self->dirty, i))->dirty = 0;
  g_ptr_array_set_size (self->dirty, 0);

  if (self->flushing > 0 && self->graveyard == NULL)
    self->graveyard = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ((AntennaTopicNode *) value)->parent = NULL;
      if (self->flushing > 0)
        g_ptr_array_add (self->graveyard, g_object_ref (value));
    }

  g_hash_table_remove_all (self->nodes);

  /* Its entries point at the nodes just dropped. */
  history_queue_clear (&self->older);
  self->older_bytes = 0;
  self->n_older = 0;
}

static void
antenna_topic_tree_dispose (GObject *object)
{
  AntennaTopicTree *self = ANTENNA_TOPIC_TREE (object);

  if (self->nodes != NULL)
    tree_drop_nodes (self);

  G_OBJECT_CLASS (antenna_topic_tree_parent_class)->dispose (object);
}

static void
antenna_topic_tree_finalize (GObject *object)
{
  AntennaTopicTree *self = ANTENNA_TOPIC_TREE (object);

  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->dirty, g_ptr_array_unref);
  g_clear_pointer (&self->graveyard, g_ptr_array_unref);
  g_clear_pointer (&self->dirty_spare, g_ptr_array_unref);
  g_clear_object (&self->root);
  history_queue_clear (&self->older);

  G_OBJECT_CLASS (antenna_topic_tree_parent_class)->finalize (object);
}

static void
antenna_topic_tree_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AntennaTopicTree *self = ANTENNA_TOPIC_TREE (object);

  switch (prop_id)
    {
    case PROP_HISTORY_LIMIT:
      g_value_set_uint (value, self->history_limit);
      break;

    case PROP_HISTORY_BUDGET:
      g_value_set_uint64 (value, self->history_budget);
      break;

    case PROP_TOTAL_COUNT:
      g_value_set_uint64 (value, self->total_count);
      break;

    case PROP_N_TOPICS:
      g_value_set_uint (value, self->n_topics);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_topic_tree_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AntennaTopicTree *self = ANTENNA_TOPIC_TREE (object);

  switch (prop_id)
    {
    case PROP_HISTORY_LIMIT:
      antenna_topic_tree_set_history_limit (self, g_value_get_uint (value));
      break;

    case PROP_HISTORY_BUDGET:
      antenna_topic_tree_set_history_budget (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_topic_tree_class_init (AntennaTopicTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_topic_tree_dispose;
  object_class->finalize = antenna_topic_tree_finalize;
  object_class->get_property = antenna_topic_tree_get_property;
  object_class->set_property = antenna_topic_tree_set_property;

  properties[PROP_HISTORY_LIMIT] =
    g_param_spec_uint ("history-limit", NULL, NULL,
                       0, G_MAXUINT, ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY_BUDGET] =
    g_param_spec_uint64 ("history-budget", NULL, NULL,
                         0, G_MAXUINT64, ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_BUDGET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_COUNT] =
    g_param_spec_uint64 ("total-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOPICS] =
    g_param_spec_uint ("n-topics", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_topic_tree_init (AntennaTopicTree *self)
{
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->dirty = g_ptr_array_new ();
  self->root = _antenna_topic_node_new (NULL, "", 0);
  self->root->is_root = TRUE;
  _antenna_topic_node_ensure_children (self->root);
}

/* Public API */

AntennaTopicTree *
antenna_topic_tree_new (guint history_limit)
{
  return g_object_new (ANTENNA_TYPE_TOPIC_TREE,
                       "history-limit", history_limit,
                       NULL);
}

GListModel *
antenna_topic_tree_get_root (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), NULL);

  return G_LIST_MODEL (self->root->children);
}

guint
antenna_topic_tree_get_history_limit (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), 0);

  return self->history_limit;
}

void
antenna_topic_tree_set_count_rates (AntennaTopicTree *self,
                                    gboolean          count_rates)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));

  self->no_rates = !count_rates;
}

/* A smaller limit trims every topic's history now (its models change on the
 * next flush); a larger one lets them grow from now on. */
void
antenna_topic_tree_set_history_limit (AntennaTopicTree *self,
                                      guint             limit)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));

  if (self->history_limit == limit)
    return;

  self->history_limit = limit;

  if (self->nodes != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        tree_trim_history (self, value);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_LIMIT]);
}

guint64
antenna_topic_tree_get_history_budget (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), 0);

  return self->history_budget;
}

/* A smaller budget evicts now (the history models change on the next
 * flush). */
void
antenna_topic_tree_set_history_budget (AntennaTopicTree *self,
                                       guint64           budget)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));

  if (self->history_budget == budget)
    return;

  self->history_budget = budget;
  tree_enforce_budget (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_BUDGET]);
}

/* What the history entries other than each topic's newest are reckoned to
 * cost, the figure the budget bounds. */
guint64
antenna_topic_tree_get_history_size (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), 0);

  return self->older_bytes;
}

void
antenna_topic_tree_add_messages (AntennaTopicTree *self,
                                 GPtrArray        *messages)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));
  g_return_if_fail (messages != NULL);

  self->batch_second = antenna_rate_now ();
  for (guint i = 0; i < messages->len; i++)
    tree_add_message (self, g_ptr_array_index (messages, i));
  tree_enforce_budget (self);
}

AntennaTopicNode *
antenna_topic_tree_lookup (AntennaTopicTree *self,
                           const char       *topic)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  return g_hash_table_lookup (self->nodes, topic);
}

guint
antenna_topic_tree_get_n_topics (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), 0);

  return self->n_topics;
}

guint64
antenna_topic_tree_get_total_count (AntennaTopicTree *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (self), 0);

  return self->total_count;
}

void
antenna_topic_tree_flush (AntennaTopicTree *self)
{
  g_autoptr(GPtrArray) dirty = NULL;

  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));

  /* Take the list first: a handler that adds messages starts a new one
   * (in the spare list of the previous flush: no allocation per flush). */
  dirty = g_steal_pointer (&self->dirty);
  self->dirty = self->dirty_spare != NULL ? g_steal_pointer (&self->dirty_spare)
                                          : g_ptr_array_sized_new (MAX (dirty->len, 16));

  /* A handler may clear the tree: tree_drop_nodes() then keeps the nodes
   * alive until we are done with them. */
  self->flushing++;

  /* Children first, so that notify handlers see the models up to date. */
  for (guint i = 0; i < dirty->len; i++)
    {
      AntennaTopicNode *node = g_ptr_array_index (dirty, i);

      if ((node->dirty & DIRTY_CHILDREN) != 0 && node->children != NULL)
        {
          node->dirty &= ~DIRTY_CHILDREN;
          _antenna_topic_node_list_publish (node->children);
        }
    }

  for (guint i = 0; i < dirty->len; i++)
    {
      AntennaTopicNode *node = g_ptr_array_index (dirty, i);
      guint flags = node->dirty;

      /* Children a handler added during this flush wait for the next one. */
      node->dirty = flags & DIRTY_CHILDREN;
      if (node->dirty != 0)
        g_ptr_array_add (self->dirty, node);
      flags &= ~DIRTY_CHILDREN;

      if (flags != 0 && !node->is_root)
        _antenna_topic_node_flush (node, flags);
    }

  if (--self->flushing == 0)
    g_clear_pointer (&self->graveyard, g_ptr_array_unref);

  if (self->dirty_spare == NULL)
    {
      g_ptr_array_set_size (dirty, 0);
      self->dirty_spare = g_steal_pointer (&dirty);
    }

  tree_notify_counts (self);
}

void
antenna_topic_tree_clear (AntennaTopicTree *self)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE (self));

  tree_drop_nodes (self);
  self->root->dirty = 0;
  self->total_count = 0;
  self->n_topics = 0;

  _antenna_topic_node_list_clear (self->root->children);
  tree_notify_counts (self);
}
