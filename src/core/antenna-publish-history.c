/* antenna-publish-history.c: the messages published on one connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-publish-history"

#include "config.h"

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-publish-history.h"

#define CLIENT_DATA_KEY "antenna-publish-history"

struct _AntennaPublishHistory
{
  GObject    parent_instance;

  GPtrArray *messages;   /* of AntennaMessage, newest first */
  guint      max_items;
  guint64    max_bytes;
  guint64    n_bytes;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaPublishHistory, antenna_publish_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
antenna_publish_history_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_MESSAGE;
}

static guint
antenna_publish_history_get_n_items (GListModel *model)
{
  return ANTENNA_PUBLISH_HISTORY (model)->messages->len;
}

static gpointer
antenna_publish_history_get_item (GListModel *model,
                                  guint       position)
{
  AntennaPublishHistory *self = ANTENNA_PUBLISH_HISTORY (model);

  if (position >= self->messages->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->messages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_publish_history_get_item_type;
  iface->get_n_items = antenna_publish_history_get_n_items;
  iface->get_item = antenna_publish_history_get_item;
}

static void
on_message_sent_cb (AntennaClient         *client,
                    AntennaMessage        *message,
                    AntennaPublishHistory *self)
{
  antenna_publish_history_add (self, message);
}

static void
antenna_publish_history_finalize (GObject *object)
{
  AntennaPublishHistory *self = ANTENNA_PUBLISH_HISTORY (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);

  G_OBJECT_CLASS (antenna_publish_history_parent_class)->finalize (object);
}

static void
antenna_publish_history_class_init (AntennaPublishHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_publish_history_finalize;
}

static void
antenna_publish_history_init (AntennaPublishHistory *self)
{
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
}

AntennaPublishHistory *
antenna_publish_history_new (guint   max_items,
                             guint64 max_bytes)
{
  AntennaPublishHistory *self;

  g_return_val_if_fail (max_items > 0, NULL);

  self = g_object_new (ANTENNA_TYPE_PUBLISH_HISTORY, NULL);
  self->max_items = max_items;
  self->max_bytes = max_bytes;

  return self;
}

AntennaPublishHistory *
antenna_publish_history_get_for_client (AntennaClient *client)
{
  AntennaPublishHistory *self;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  self = g_object_get_data (G_OBJECT (client), CLIENT_DATA_KEY);
  if (self != NULL)
    return self;

  self = antenna_publish_history_new (ANTENNA_PUBLISH_HISTORY_MAX_ITEMS,
                                      ANTENNA_PUBLISH_HISTORY_MAX_BYTES);
  g_object_set_data_full (G_OBJECT (client), CLIENT_DATA_KEY, self, g_object_unref);
  g_signal_connect_object (client, "message-sent", G_CALLBACK (on_message_sent_cb), self, 0);

  return self;
}

void
antenna_publish_history_add (AntennaPublishHistory *self,
                             AntennaMessage        *message)
{
  guint64 size;
  guint keep;

  g_return_if_fail (ANTENNA_IS_PUBLISH_HISTORY (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  /* The oldest go first, then the new one comes in front: two small
   * changes, so that a view redraws two rows, not the whole list, at every
   * message (a repeat or a load test sends thousands a second). */
  size = antenna_message_get_size (message);
  keep = self->messages->len;
  while (keep > 0 && (keep + 1 > self->max_items || self->n_bytes + size > self->max_bytes))
    {
      keep--;
      self->n_bytes -= antenna_message_get_size (g_ptr_array_index (self->messages, keep));
    }
  if (keep < self->messages->len)
    {
      guint removed = self->messages->len - keep;

      g_ptr_array_remove_range (self->messages, keep, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), keep, removed, 0);
    }

  g_ptr_array_insert (self->messages, 0, g_object_ref (message));
  self->n_bytes += size;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
}

void
antenna_publish_history_clear (AntennaPublishHistory *self)
{
  guint n;

  g_return_if_fail (ANTENNA_IS_PUBLISH_HISTORY (self));

  n = self->messages->len;
  g_ptr_array_set_size (self->messages, 0);
  self->n_bytes = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

guint64
antenna_publish_history_get_n_bytes (AntennaPublishHistory *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_HISTORY (self), 0);

  return self->n_bytes;
}
