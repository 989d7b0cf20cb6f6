/* antenna-topic-history.c: the history model of a topic node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-tree"

#include "config.h"

#include "antenna-message.h"
#include "antenna-topic-history-private.h"

struct _AntennaTopicHistory
{
  GObject    parent_instance;
  GPtrArray *items;      /* of AntennaMessage (owned) */
  guint64    first_pos;  /* ring position of items[0] */
};

static void antenna_topic_history_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaTopicHistory, antenna_topic_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, antenna_topic_history_model_init))

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

void
_antenna_topic_history_sync (AntennaTopicHistory      *self,
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
