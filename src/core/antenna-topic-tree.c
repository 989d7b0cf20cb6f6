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
#include "antenna-message-ring.h"
#include "antenna-topic-tree.h"

/* A reset replaces per-run emissions past this many runs in one flush. */
#define MAX_RUNS_PER_FLUSH 256

typedef enum {
  DIRTY_MESSAGE  = 1 << 0,  /* message-count, last-message, last-time */
  DIRTY_RETAINED = 1 << 1,
  DIRTY_SUBTREE  = 1 << 2,
  DIRTY_CHILDREN = 1 << 3,  /* pending children to publish */
  DIRTY_HISTORY  = 1 << 4,
} DirtyFlags;

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

/* AntennaTopicNodeList: the children of a node, a GListModel of
 * AntennaTopicNode sorted by segment. @items is what the model shows;
 * @pending holds the children created since the last flush. */
#define ANTENNA_TYPE_TOPIC_NODE_LIST (antenna_topic_node_list_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicNodeList, antenna_topic_node_list, ANTENNA, TOPIC_NODE_LIST, GObject)

struct _AntennaTopicNodeList
{
  GObject    parent_instance;
  GPtrArray *items;    /* of AntennaTopicNode (owned) */
  GPtrArray *pending;  /* of AntennaTopicNode (owned), unsorted */
};

/* AntennaTopicHistory: what a node's history model shows, a copy of the
 * node's ring as of the last flush (only made for the nodes someone looks
 * at). */
#define ANTENNA_TYPE_TOPIC_HISTORY (antenna_topic_history_get_type ())
G_DECLARE_FINAL_TYPE (AntennaTopicHistory, antenna_topic_history, ANTENNA, TOPIC_HISTORY, GObject)

struct _AntennaTopicHistory
{
  GObject    parent_instance;
  GPtrArray *items;      /* of AntennaMessage (owned) */
  guint64    first_pos;  /* ring position of items[0] */
};

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
  guint64               newest_cost;  /* of the history's newest entry, for the budget */
  guint                 dirty;
  guint                 n_children_notified;
  guint                 retained : 1;
  guint                 is_root : 1;
};

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
  guint             n_topics_notified;
  guint64           total_count_notified;
};

enum {
  NODE_PROP_0,
  NODE_PROP_SEGMENT,
  NODE_PROP_TOPIC,
  NODE_PROP_MESSAGE_COUNT,
  NODE_PROP_SUBTREE_COUNT,
  NODE_PROP_LAST_MESSAGE,
  NODE_PROP_LAST_TIME,
  NODE_PROP_RETAINED,
  NODE_PROP_N_CHILDREN,
  NODE_PROP_HAS_CHILDREN,
  NODE_N_PROPS
};

enum {
  PROP_0,
  PROP_HISTORY_LIMIT,
  PROP_HISTORY_BUDGET,
  PROP_TOTAL_COUNT,
  PROP_N_TOPICS,
  N_PROPS
};

static GParamSpec *node_properties[NODE_N_PROPS];
static GParamSpec *properties[N_PROPS];
static guint notify_signal_id;

static void antenna_topic_node_list_model_init (GListModelInterface *iface);
static void antenna_topic_history_model_init   (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaTopicNodeList, antenna_topic_node_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, antenna_topic_node_list_model_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaTopicHistory, antenna_topic_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, antenna_topic_history_model_init))
G_DEFINE_FINAL_TYPE (AntennaTopicNode, antenna_topic_node, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (AntennaTopicTree, antenna_topic_tree, G_TYPE_OBJECT)

/* Segment order */

int
antenna_topic_segment_compare (const char *a,
                               const char *b)
{
  const guchar *p = (const guchar *) a;
  const guchar *q = (const guchar *) b;

  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  while (*p != '\0' && *q != '\0')
    {
      if (g_ascii_isdigit (*p) && g_ascii_isdigit (*q))
        {
          const guchar *p_end, *q_end;
          gsize p_len, q_len;
          int cmp;

          /* Compare the numbers' values: skip leading zeros, then the
           * longer run of digits is larger, else the first differing digit. */
          while (*p == '0' && g_ascii_isdigit (p[1]))
            p++;
          while (*q == '0' && g_ascii_isdigit (q[1]))
            q++;
          for (p_end = p; g_ascii_isdigit (*p_end); p_end++)
            ;
          for (q_end = q; g_ascii_isdigit (*q_end); q_end++)
            ;
          p_len = p_end - p;
          q_len = q_end - q;
          if (p_len != q_len)
            return p_len < q_len ? -1 : 1;
          cmp = memcmp (p, q, p_len);
          if (cmp != 0)
            return cmp < 0 ? -1 : 1;
          p = p_end;
          q = q_end;
          continue;
        }

      if (*p != *q)
        return *p < *q ? -1 : 1;
      p++;
      q++;
    }

  if (*p != *q)
    return *p < *q ? -1 : 1;

  /* Same up to leading zeros ("07" and "7"): plain byte order decides. */
  return strcmp (a, b);
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b)
{
  const AntennaTopicNode *node_a = *(AntennaTopicNode * const *) a;
  const AntennaTopicNode *node_b = *(AntennaTopicNode * const *) b;

  return antenna_topic_segment_compare (node_a->segment, node_b->segment);
}

/* AntennaTopicNodeList */

static GType
antenna_topic_node_list_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_TOPIC_NODE;
}

static guint
antenna_topic_node_list_get_n_items (GListModel *model)
{
  return ANTENNA_TOPIC_NODE_LIST (model)->items->len;
}

static gpointer
antenna_topic_node_list_get_item (GListModel *model,
                                  guint       position)
{
  AntennaTopicNodeList *self = ANTENNA_TOPIC_NODE_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
antenna_topic_node_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_topic_node_list_get_item_type;
  iface->get_n_items = antenna_topic_node_list_get_n_items;
  iface->get_item = antenna_topic_node_list_get_item;
}

static void
antenna_topic_node_list_finalize (GObject *object)
{
  AntennaTopicNodeList *self = ANTENNA_TOPIC_NODE_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (antenna_topic_node_list_parent_class)->finalize (object);
}

static void
antenna_topic_node_list_class_init (AntennaTopicNodeListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = antenna_topic_node_list_finalize;
}

static void
antenna_topic_node_list_init (AntennaTopicNodeList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The first index in [from, items->len) whose node sorts after @node. */
static guint
node_list_lower_bound (AntennaTopicNodeList *self,
                       guint                 from,
                       AntennaTopicNode     *node)
{
  guint lo = from;
  guint hi = self->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      AntennaTopicNode *other = g_ptr_array_index (self->items, mid);

      if (antenna_topic_segment_compare (other->segment, node->segment) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* The number of runs of adjacent new nodes the sorted pending nodes make. */
static guint
node_list_count_runs (AntennaTopicNodeList *self)
{
  guint runs = 0;
  guint pos = 0;
  guint prev_pos = G_MAXUINT;

  for (guint i = 0; i < self->pending->len; i++)
    {
      pos = node_list_lower_bound (self, pos, g_ptr_array_index (self->pending, i));
      if (pos != prev_pos)
        runs++;
      prev_pos = pos;
    }

  return runs;
}

/* Moves the pending nodes into the model, emitting what changed. */
static void
node_list_publish (AntennaTopicNodeList *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  guint n_pending = self->pending->len;
  guint pos = 0;
  guint i = 0;

  if (n_pending == 0)
    return;

  g_ptr_array_sort (self->pending, compare_nodes);

  if (self->items->len > 0 && n_pending > MAX_RUNS_PER_FLUSH &&
      node_list_count_runs (self) > MAX_RUNS_PER_FLUSH)
    {
      /* So much changed that describing it run by run would cost more
       * than rebuilding: merge, then one reset. */
      guint n_old = self->items->len;
      GPtrArray *merged = g_ptr_array_new_full (n_old + n_pending, g_object_unref);
      guint a = 0, b = 0;

      while (a < n_old || b < n_pending)
        {
          AntennaTopicNode *next;

          if (b == n_pending ||
              (a < n_old && compare_nodes (&g_ptr_array_index (self->items, a),
                                           &g_ptr_array_index (self->pending, b)) < 0))
            next = g_ptr_array_index (self->items, a++);
          else
            next = g_ptr_array_index (self->pending, b++);
          g_ptr_array_add (merged, g_object_ref (next));
        }

      g_ptr_array_set_size (self->pending, 0);
      g_ptr_array_unref (self->items);
      self->items = merged;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, merged->len);
      return;
    }

  /* A handler may add children while we emit: they go to a new list. */
  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);

  /* One emission per run of adjacent new nodes, the model updated run by
   * run so that it always matches what was emitted so far. */
  while (i < n_pending)
    {
      guint run_end = i + 1;
      guint n_run;
      guint old_len = self->items->len;

      pos = node_list_lower_bound (self, pos, g_ptr_array_index (pending, i));
      while (run_end < n_pending &&
             (pos == old_len ||
              compare_nodes (&g_ptr_array_index (pending, run_end),
                             &g_ptr_array_index (self->items, pos)) < 0))
        run_end++;
      n_run = run_end - i;

      g_ptr_array_set_size (self->items, old_len + n_run);
      memmove (&self->items->pdata[pos + n_run], &self->items->pdata[pos],
               (old_len - pos) * sizeof (gpointer));
      for (guint k = 0; k < n_run; k++)
        {
          /* Transfer the reference from @pending. */
          self->items->pdata[pos + k] = pending->pdata[i + k];
          pending->pdata[i + k] = NULL;
        }

      g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, n_run);

      pos += n_run;
      i = run_end;
    }

  /* Every reference moved to @items; only empty slots are left. */
  g_ptr_array_set_free_func (pending, NULL);
}

/* Removes every node at once, emitting one change. */
static void
node_list_clear (AntennaTopicNodeList *self)
{
  guint n_old = self->items->len;

  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->items, 0);
  if (n_old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, 0);
}

/* AntennaTopicHistory */

static GType
antenna_topic_history_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_MESSAGE;
}

static guint
antenna_topic_history_get_n_items (GListModel *model)
{
  return ANTENNA_TOPIC_HISTORY (model)->items->len;
}

static gpointer
antenna_topic_history_get_item (GListModel *model,
                                guint       position)
{
  AntennaTopicHistory *self = ANTENNA_TOPIC_HISTORY (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
antenna_topic_history_model_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_topic_history_get_item_type;
  iface->get_n_items = antenna_topic_history_get_n_items;
  iface->get_item = antenna_topic_history_get_item;
}

static void
antenna_topic_history_finalize (GObject *object)
{
  AntennaTopicHistory *self = ANTENNA_TOPIC_HISTORY (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (antenna_topic_history_parent_class)->finalize (object);
}

static void
antenna_topic_history_class_init (AntennaTopicHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = antenna_topic_history_finalize;
}

static void
antenna_topic_history_init (AntennaTopicHistory *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Brings the model up to the node's ring, emitting what changed. */
static void
history_sync (AntennaTopicHistory      *self,
              const AntennaMessageRing *ring)
{
  guint64 old_low = self->first_pos;
  guint64 old_high = self->first_pos + self->items->len;
  guint n_old = self->items->len;

  if (ring->low >= old_high || ring->low < old_low)
    {
      /* Nothing shown is still in the ring: replace everything. */
      g_ptr_array_set_size (self->items, 0);
      for (guint64 pos = ring->low; pos < ring->high; pos++)
        g_ptr_array_add (self->items, g_object_ref (antenna_message_ring_get (ring, pos)));
      self->first_pos = ring->low;
      if (n_old > 0 || self->items->len > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->items->len);
      return;
    }

  if (ring->low > old_low)
    {
      guint removed = ring->low - old_low;

      g_ptr_array_remove_range (self->items, 0, removed);
      self->first_pos = ring->low;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
    }

  if (ring->high > old_high)
    {
      guint position = self->items->len;

      for (guint64 pos = old_high; pos < ring->high; pos++)
        g_ptr_array_add (self->items, g_object_ref (antenna_message_ring_get (ring, pos)));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, ring->high - old_high);
    }
}

/* AntennaTopicNode */

static AntennaTopicNodeList *
node_ensure_children (AntennaTopicNode *self)
{
  if (self->children == NULL)
    self->children = g_object_new (ANTENNA_TYPE_TOPIC_NODE_LIST, NULL);

  return self->children;
}

static void
antenna_topic_node_finalize (GObject *object)
{
  AntennaTopicNode *self = ANTENNA_TOPIC_NODE (object);

  g_clear_object (&self->children);
  g_clear_object (&self->history_model);
  g_clear_object (&self->last_message);
  antenna_message_ring_clear (&self->history);
  g_clear_pointer (&self->topic, g_free);

  G_OBJECT_CLASS (antenna_topic_node_parent_class)->finalize (object);
}

static void
antenna_topic_node_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AntennaTopicNode *self = ANTENNA_TOPIC_NODE (object);

  switch (prop_id)
    {
    case NODE_PROP_SEGMENT:
      g_value_set_string (value, self->segment);
      break;

    case NODE_PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case NODE_PROP_MESSAGE_COUNT:
      g_value_set_uint64 (value, self->message_count);
      break;

    case NODE_PROP_SUBTREE_COUNT:
      g_value_set_uint64 (value, self->subtree_count);
      break;

    case NODE_PROP_LAST_MESSAGE:
      g_value_set_object (value, self->last_message);
      break;

    case NODE_PROP_LAST_TIME:
      g_value_set_int64 (value, self->last_message ? antenna_message_get_timestamp (self->last_message) : 0);
      break;

    case NODE_PROP_RETAINED:
      g_value_set_boolean (value, self->retained);
      break;

    case NODE_PROP_N_CHILDREN:
      g_value_set_uint (value, antenna_topic_node_get_n_children (self));
      break;

    case NODE_PROP_HAS_CHILDREN:
      g_value_set_boolean (value, antenna_topic_node_get_has_children (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_topic_node_class_init (AntennaTopicNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_topic_node_finalize;
  object_class->get_property = antenna_topic_node_get_property;

  node_properties[NODE_PROP_SEGMENT] =
    g_param_spec_string ("segment", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_MESSAGE_COUNT] =
    g_param_spec_uint64 ("message-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_SUBTREE_COUNT] =
    g_param_spec_uint64 ("subtree-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_LAST_MESSAGE] =
    g_param_spec_object ("last-message", NULL, NULL, ANTENNA_TYPE_MESSAGE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_LAST_TIME] =
    g_param_spec_int64 ("last-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_RETAINED] =
    g_param_spec_boolean ("retained", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_N_CHILDREN] =
    g_param_spec_uint ("n-children", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_HAS_CHILDREN] =
    g_param_spec_boolean ("has-children", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, NODE_N_PROPS, node_properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
antenna_topic_node_init (AntennaTopicNode *self)
{
}

static AntennaTopicNode *
node_new (AntennaTopicNode *parent,
          const char       *topic,
          gsize             length)
{
  AntennaTopicNode *self = g_object_new (ANTENNA_TYPE_TOPIC_NODE, NULL);
  const char *slash;

  self->parent = parent;
  self->topic = g_strndup (topic, length);
  slash = strrchr (self->topic, '/');
  self->segment = slash != NULL ? slash + 1 : self->topic;

  return self;
}

/* Emits notify for what changed since the last flush. */
static void
node_flush (AntennaTopicNode *self,
            guint             dirty)
{
  GObject *object = G_OBJECT (self);
  guint n_children;

  if (self->history_model != NULL && (dirty & DIRTY_HISTORY) != 0)
    history_sync (self->history_model, &self->history);

  /* Most nodes have nobody watching them: skip the notify machinery. */
  n_children = self->children != NULL ? self->children->items->len : 0;
  /* (g_signal_has_handler_pending() with no detail would miss the
   * "notify::property" handlers of bindings and expressions.) */
  if (g_signal_handler_find (self, G_SIGNAL_MATCH_ID, notify_signal_id, 0, NULL, NULL, NULL) == 0)
    {
      self->n_children_notified = n_children;
      return;
    }

  g_object_freeze_notify (object);

  if (dirty & DIRTY_MESSAGE)
    {
      g_object_notify_by_pspec (object, node_properties[NODE_PROP_MESSAGE_COUNT]);
      g_object_notify_by_pspec (object, node_properties[NODE_PROP_LAST_MESSAGE]);
      g_object_notify_by_pspec (object, node_properties[NODE_PROP_LAST_TIME]);
    }
  if (dirty & DIRTY_RETAINED)
    g_object_notify_by_pspec (object, node_properties[NODE_PROP_RETAINED]);
  if (dirty & DIRTY_SUBTREE)
    g_object_notify_by_pspec (object, node_properties[NODE_PROP_SUBTREE_COUNT]);

  if (n_children != self->n_children_notified)
    {
      g_object_notify_by_pspec (object, node_properties[NODE_PROP_N_CHILDREN]);
      if (self->n_children_notified == 0 || n_children == 0)
        g_object_notify_by_pspec (object, node_properties[NODE_PROP_HAS_CHILDREN]);
      self->n_children_notified = n_children;
    }

  g_object_thaw_notify (object);
}

/* AntennaTopicTree */

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

  node = node_new (parent == self->root ? NULL : parent, topic, length);
  g_hash_table_insert (self->nodes, node->topic, node);
  g_ptr_array_add (node_ensure_children (parent)->pending, g_object_ref (node));
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
  tree_mark_dirty (self, node, flags);

  for (AntennaTopicNode *up = node->parent; up != NULL; up = up->parent)
    {
      up->subtree_count++;
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
  self->root = node_new (NULL, "", 0);
  self->root->is_root = TRUE;
  node_ensure_children (self->root);
}

/* Public API: AntennaTopicNode */

const char *
antenna_topic_node_get_segment (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  return self->segment;
}

const char *
antenna_topic_node_get_topic (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  return self->topic;
}

AntennaTopicNode *
antenna_topic_node_get_parent (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  return self->parent;
}

GListModel *
antenna_topic_node_get_children (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  return G_LIST_MODEL (node_ensure_children (self));
}

guint
antenna_topic_node_get_n_children (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), 0);

  return self->children != NULL ? self->children->items->len : 0;
}

gboolean
antenna_topic_node_get_has_children (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), FALSE);

  return antenna_topic_node_get_n_children (self) > 0;
}

guint64
antenna_topic_node_get_message_count (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), 0);

  return self->message_count;
}

guint64
antenna_topic_node_get_subtree_count (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), 0);

  return self->subtree_count;
}

AntennaMessage *
antenna_topic_node_get_last_message (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  return self->last_message;
}

gboolean
antenna_topic_node_get_retained (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), FALSE);

  return self->retained;
}

GListModel *
antenna_topic_node_get_history (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), NULL);

  if (self->history_model == NULL)
    {
      self->history_model = g_object_new (ANTENNA_TYPE_TOPIC_HISTORY, NULL);
      /* Starts with the history as it is now (nobody watched it before). */
      history_sync (self->history_model, &self->history);
    }

  return G_LIST_MODEL (self->history_model);
}

/* Public API: AntennaTopicTree */

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
          node_list_publish (node->children);
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
        node_flush (node, flags);
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

  node_list_clear (self->root->children);
  tree_notify_counts (self);
}
