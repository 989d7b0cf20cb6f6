/* antenna-topic-node-list.c: the children of a topic node, sorted by segment
 *
 * New children wait in @pending until a flush publishes them: one
 * items-changed per run of adjacent new nodes, or one reset when there are
 * too many runs (see antenna-topic-tree.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-tree"

#include "config.h"

#include <string.h>

#include "antenna-topic-tree-private.h"

/* A reset replaces per-run emissions past this many runs in one flush. */
#define MAX_RUNS_PER_FLUSH 256

static void antenna_topic_node_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaTopicNodeList, antenna_topic_node_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, antenna_topic_node_list_model_init))

/* The order of siblings */

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
void
_antenna_topic_node_list_publish (AntennaTopicNodeList *self)
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
void
_antenna_topic_node_list_clear (AntennaTopicNodeList *self)
{
  guint n_old = self->items->len;

  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->items, 0);
  if (n_old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, 0);
}
