/* antenna-topic-node.c: one topic level of the topic tree
 *
 * The tree updates a node's fields as messages arrive and asks it to notify
 * what changed at flush; most nodes have nobody watching and skip that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-tree"

#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-topic-tree-private.h"

enum {
  PROP_0,
  PROP_SEGMENT,
  PROP_TOPIC,
  PROP_MESSAGE_COUNT,
  PROP_SUBTREE_COUNT,
  PROP_LAST_MESSAGE,
  PROP_LAST_TIME,
  PROP_RETAINED,
  PROP_N_CHILDREN,
  PROP_HAS_CHILDREN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint notify_signal_id;

G_DEFINE_FINAL_TYPE (AntennaTopicNode, antenna_topic_node, G_TYPE_OBJECT)

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
    case PROP_SEGMENT:
      g_value_set_string (value, self->segment);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_MESSAGE_COUNT:
      g_value_set_uint64 (value, self->message_count);
      break;

    case PROP_SUBTREE_COUNT:
      g_value_set_uint64 (value, self->subtree_count);
      break;

    case PROP_LAST_MESSAGE:
      g_value_set_object (value, self->last_message);
      break;

    case PROP_LAST_TIME:
      g_value_set_int64 (value, self->last_message ? antenna_message_get_timestamp (self->last_message) : 0);
      break;

    case PROP_RETAINED:
      g_value_set_boolean (value, self->retained);
      break;

    case PROP_N_CHILDREN:
      g_value_set_uint (value, antenna_topic_node_get_n_children (self));
      break;

    case PROP_HAS_CHILDREN:
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

  properties[PROP_SEGMENT] =
    g_param_spec_string ("segment", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_COUNT] =
    g_param_spec_uint64 ("message-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTREE_COUNT] =
    g_param_spec_uint64 ("subtree-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_MESSAGE] =
    g_param_spec_object ("last-message", NULL, NULL, ANTENNA_TYPE_MESSAGE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_TIME] =
    g_param_spec_int64 ("last-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETAINED] =
    g_param_spec_boolean ("retained", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CHILDREN] =
    g_param_spec_uint ("n-children", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_CHILDREN] =
    g_param_spec_boolean ("has-children", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
antenna_topic_node_init (AntennaTopicNode *self)
{
}

AntennaTopicNode *
_antenna_topic_node_new (AntennaTopicNode *parent,
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

void
_antenna_topic_node_flush (AntennaTopicNode *self,
                           guint             dirty)
{
  GObject *object = G_OBJECT (self);
  guint n_children;

  if (self->history_model != NULL && (dirty & DIRTY_HISTORY) != 0)
    _antenna_topic_history_sync (self->history_model, &self->history);

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
      g_object_notify_by_pspec (object, properties[PROP_MESSAGE_COUNT]);
      g_object_notify_by_pspec (object, properties[PROP_LAST_MESSAGE]);
      g_object_notify_by_pspec (object, properties[PROP_LAST_TIME]);
    }
  if (dirty & DIRTY_RETAINED)
    g_object_notify_by_pspec (object, properties[PROP_RETAINED]);
  if (dirty & DIRTY_SUBTREE)
    g_object_notify_by_pspec (object, properties[PROP_SUBTREE_COUNT]);

  if (n_children != self->n_children_notified)
    {
      g_object_notify_by_pspec (object, properties[PROP_N_CHILDREN]);
      if (self->n_children_notified == 0 || n_children == 0)
        g_object_notify_by_pspec (object, properties[PROP_HAS_CHILDREN]);
      self->n_children_notified = n_children;
    }

  g_object_thaw_notify (object);
}

/* Public API */

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

  return G_LIST_MODEL (_antenna_topic_node_ensure_children (self));
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

double
antenna_topic_node_get_rate (AntennaTopicNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_NODE (self), 0);

  return antenna_rate_get (&self->rate, antenna_rate_now ());
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
      _antenna_topic_history_sync (self->history_model, &self->history);
    }

  return G_LIST_MODEL (self->history_model);
}
