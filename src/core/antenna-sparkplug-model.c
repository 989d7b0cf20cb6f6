/* antenna-sparkplug-model.c: the live state of a Sparkplug B system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-sparkplug"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-private.h"

struct _AntennaSparkplugModel
{
  GObject        parent_instance;

  /* Owned References */
  GListStore    *groups;
  GListStore    *hosts;
  GHashTable    *nodes;      /* "group\nedge[\ndevice]" → AntennaSparkplugNode * (borrowed) */

  /* Borrowed References */
  AntennaClient *client;
  gulong         messages_handler;

};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (AntennaSparkplugModel, antenna_sparkplug_model, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static char *
node_key (const char *group,
          const char *edge_node,
          const char *device)
{
  return device != NULL ? g_strconcat (group, "\n", edge_node, "\n", device, NULL)
                        : g_strconcat (group, "\n", edge_node, NULL);
}

static AntennaSparkplugNode *
find_in (GListStore *store,
         const char *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSparkplugNode) node = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_str_equal (antenna_sparkplug_node_get_name (node), name))
        return node;   /* the store keeps it */
    }
  return NULL;
}

/* The edge node or device, made when first seen. (transfer none) */
static AntennaSparkplugNode *
ensure_node (AntennaSparkplugModel *self,
             const char            *group,
             const char            *edge_node,
             const char            *device)
{
  g_autofree char *key = node_key (group, edge_node, device);
  AntennaSparkplugNode *node = g_hash_table_lookup (self->nodes, key);
  AntennaSparkplugNode *group_node;

  if (node != NULL)
    return node;

  group_node = find_in (self->groups, group);
  if (group_node == NULL)
    {
      g_autoptr(AntennaSparkplugNode) fresh = _antenna_sparkplug_node_new (ANTENNA_SPARKPLUG_NODE_GROUP, group);

      g_list_store_append (self->groups, fresh);
      group_node = fresh;
    }

  node = _antenna_sparkplug_node_ensure_child (group_node, ANTENNA_SPARKPLUG_NODE_EDGE_NODE, edge_node);
  if (device != NULL)
    node = _antenna_sparkplug_node_ensure_child (node, ANTENNA_SPARKPLUG_NODE_DEVICE, device);

  g_hash_table_insert (self->nodes, g_steal_pointer (&key), node);
  return node;
}

static gboolean add_message (AntennaSparkplugModel *self, AntennaMessage *message);

static void
on_messages_received_cb (AntennaClient         *client,
                         GPtrArray             *messages,
                         AntennaSparkplugModel *self)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);

      /* The one cost every message pays: a prefix compare. */
      if (strncmp (antenna_message_get_topic (message), ANTENNA_SPARKPLUG_NAMESPACE "/",
                   sizeof ANTENNA_SPARKPLUG_NAMESPACE) != 0)
        continue;
      changed |= add_message (self, message);
    }

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
antenna_sparkplug_model_dispose (GObject *object)
{
  AntennaSparkplugModel *self = ANTENNA_SPARKPLUG_MODEL (object);

  antenna_sparkplug_model_observe (self, NULL);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_object (&self->groups);
  g_clear_object (&self->hosts);

  G_OBJECT_CLASS (antenna_sparkplug_model_parent_class)->dispose (object);
}

static void
antenna_sparkplug_model_class_init (AntennaSparkplugModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_sparkplug_model_dispose;

  /* Once per message added or batch observed that changed something. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
antenna_sparkplug_model_init (AntennaSparkplugModel *self)
{
  self->groups = g_list_store_new (ANTENNA_TYPE_SPARKPLUG_NODE);
  self->hosts = g_list_store_new (ANTENNA_TYPE_SPARKPLUG_NODE);
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

AntennaSparkplugModel *
antenna_sparkplug_model_new (void)
{
  return g_object_new (ANTENNA_TYPE_SPARKPLUG_MODEL, NULL);
}

GListModel *
antenna_sparkplug_model_get_groups (AntennaSparkplugModel *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (self), NULL);

  return G_LIST_MODEL (self->groups);
}

GListModel *
antenna_sparkplug_model_get_hosts (AntennaSparkplugModel *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (self), NULL);

  return G_LIST_MODEL (self->hosts);
}

AntennaSparkplugNode *
antenna_sparkplug_model_find_node (AntennaSparkplugModel *self,
                                   const char            *group,
                                   const char            *edge_node,
                                   const char            *device)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (self), NULL);
  g_return_val_if_fail (group != NULL && edge_node != NULL, NULL);

  key = node_key (group, edge_node, device);
  return g_hash_table_lookup (self->nodes, key);
}

SparkplugAliases *
_antenna_sparkplug_model_get_aliases (AntennaSparkplugModel *self,
                                      const char            *group,
                                      const char            *edge_node,
                                      const char            *device)
{
  AntennaSparkplugNode *node = antenna_sparkplug_model_find_node (self, group, edge_node, device);

  return node != NULL ? _antenna_sparkplug_node_get_aliases (node) : NULL;
}

/* The bdSeq metric of a birth or death, -1 when it has none. */
static gint64
find_bdseq (AntennaValue *view)
{
  AntennaValue *metrics = antenna_value_lookup (view, "metrics");

  for (guint i = 0; metrics != NULL && i < antenna_value_get_n_children (metrics); i++)
    {
      AntennaValue *metric = antenna_value_get_child (metrics, i);
      AntennaValue *name = antenna_value_lookup (metric, "name");
      AntennaValue *value = antenna_value_lookup (metric, "value");

      if (name != NULL && antenna_value_get_kind (name) == ANTENNA_VALUE_STRING &&
          g_str_equal (antenna_value_get_string (name, NULL), "bdSeq") &&
          value != NULL && (antenna_value_get_kind (value) == ANTENNA_VALUE_INT))
        return antenna_value_get_int (value);
    }
  return -1;
}

static SparkplugMessageInfo *
info_new (void)
{
  SparkplugMessageInfo *info = g_new0 (SparkplugMessageInfo, 1);

  info->notes = g_ptr_array_new_with_free_func (g_free);
  return info;
}

/* Checks @view's seq against the edge node's last one (0–255, wrapping). */
static void
check_seq (AntennaSparkplugNode *edge,
           AntennaValue         *view,
           gboolean              birth,
           SparkplugMessageInfo *info)
{
  AntennaValue *seq_value = antenna_value_lookup (view, "seq");
  gint last = _antenna_sparkplug_node_get_seq (edge);
  gint seq;

  if (seq_value == NULL || antenna_value_get_kind (seq_value) != ANTENNA_VALUE_INT)
    return;
  seq = (gint) (antenna_value_get_int (seq_value) & 0xff);

  if (!birth && last >= 0)
    {
      gint expected = (last + 1) % 256;

      if (seq != expected)
        {
          gint missing = (seq - expected + 256) % 256;

          info->flags |= ANTENNA_DECODED_SEQ_GAP;
          g_ptr_array_add (info->notes,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "seq %d where %d was due: %d message of this edge node is missing or out of order.",
                                                         "seq %d where %d was due: %d messages of this edge node are missing or out of order.",
                                                         missing),
                                            seq, expected, missing));
        }
    }
  _antenna_sparkplug_node_set_seq (edge, seq);
}

static void
take_state (AntennaSparkplugModel *self,
            AntennaMessage        *message,
            const char            *host_id)
{
  GBytes *payload = antenna_message_get_payload (message);
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);
  AntennaSparkplugNode *host = find_in (self->hosts, host_id);
  gboolean online = FALSE;

  if (data != NULL && size == 6 && memcmp (data, "ONLINE", 6) == 0)
    online = TRUE;
  else if (data != NULL && size > 0)
    {
      g_autoptr(JsonNode) root = antenna_payload_parse_json (data, size, NULL);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        online = json_object_get_boolean_member_with_default (json_node_get_object (root), "online", FALSE);
    }

  if (host == NULL)
    {
      g_autoptr(AntennaSparkplugNode) fresh = _antenna_sparkplug_node_new (ANTENNA_SPARKPLUG_NODE_HOST, host_id);

      g_list_store_append (self->hosts, fresh);
      host = fresh;
    }
  _antenna_sparkplug_node_set_online (host, online);
  _antenna_sparkplug_node_set_last_seen (host, antenna_message_get_timestamp (message));
}

/* Takes in @message; whether the state may have changed. */
static gboolean
add_message (AntennaSparkplugModel *self,
             AntennaMessage        *message)
{
  AntennaSparkplugMessageType type;
  g_autofree char *group = NULL;
  g_autofree char *edge_name = NULL;
  g_autofree char *device_name = NULL;
  g_autoptr(AntennaValue) view = NULL;
  g_autoptr(AntennaDecoded) scratch = NULL;
  AntennaSparkplugNode *edge;
  AntennaSparkplugNode *node;
  SparkplugMessageInfo *info;
  AntennaDecodeJob job;
  gboolean birth;

  if (!antenna_sparkplug_parse_topic (antenna_message_get_topic (message), &type, &group, &edge_name, &device_name))
    return FALSE;

  if (type == ANTENNA_SPARKPLUG_STATE)
    {
      take_state (self, message, edge_name);
      return TRUE;
    }

  edge = ensure_node (self, group, edge_name, NULL);
  node = device_name != NULL ? ensure_node (self, group, edge_name, device_name) : edge;

  /* Decoded once, within the same budgets as a view's. */
  {
    g_autoptr(GError) error = NULL;

    scratch = _antenna_decoded_new ();
    _antenna_decode_job_init (&job, NULL, scratch);
    view = _antenna_sparkplug_decode_payload (&job, antenna_message_get_payload (message),
                                              _antenna_sparkplug_node_get_aliases (node), NULL, &error);
    if (view == NULL)
      {
        g_debug ("A Sparkplug message on %s does not decode: %s",
                 antenna_message_get_topic (message), error->message);
        return FALSE;
      }
  }

  info = info_new ();
  birth = type == ANTENNA_SPARKPLUG_NBIRTH || type == ANTENNA_SPARKPLUG_DBIRTH;

  switch (type)
    {
    case ANTENNA_SPARKPLUG_NBIRTH:
      check_seq (edge, view, TRUE, info);
      _antenna_sparkplug_node_set_bdseq (edge, find_bdseq (view));
      _antenna_sparkplug_node_set_aliases (edge, _antenna_sparkplug_aliases_new_from_view (view));
      _antenna_sparkplug_node_replace_metrics (edge, antenna_value_lookup (view, "metrics"));
      _antenna_sparkplug_node_set_online (edge, TRUE);
      break;

    case ANTENNA_SPARKPLUG_DBIRTH:
      check_seq (edge, view, FALSE, info);
      _antenna_sparkplug_node_set_aliases (node, _antenna_sparkplug_aliases_new_from_view (view));
      _antenna_sparkplug_node_replace_metrics (node, antenna_value_lookup (view, "metrics"));
      _antenna_sparkplug_node_set_online (node, TRUE);
      break;

    case ANTENNA_SPARKPLUG_NDEATH:
      {
        gint64 bdseq = find_bdseq (view);
        gint64 birth_bdseq = antenna_sparkplug_node_get_bdseq (edge);
        GListModel *devices = antenna_sparkplug_node_get_children (edge);

        if (bdseq >= 0 && birth_bdseq >= 0 && bdseq != birth_bdseq)
          {
            info->flags |= ANTENNA_DECODED_BDSEQ_MISMATCH;
            g_ptr_array_add (info->notes,
                             g_strdup_printf (_("bdSeq %" PRId64 " does not match the NBIRTH’s %" PRId64 ": this death is of an older session, and the edge node may still be online."),
                                              bdseq, birth_bdseq));
          }
        else
          {
            /* The death of the session that was born: all of it goes. */
            _antenna_sparkplug_node_set_online (edge, FALSE);
            for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
              {
                g_autoptr(AntennaSparkplugNode) device = g_list_model_get_item (devices, i);

                _antenna_sparkplug_node_set_online (device, FALSE);
              }
            _antenna_sparkplug_node_set_seq (edge, -1);
          }
      }
      break;

    case ANTENNA_SPARKPLUG_DDEATH:
      check_seq (edge, view, FALSE, info);
      _antenna_sparkplug_node_set_online (node, FALSE);
      break;

    case ANTENNA_SPARKPLUG_NDATA:
    case ANTENNA_SPARKPLUG_DDATA:
      check_seq (edge, view, FALSE, info);
      _antenna_sparkplug_node_update_metrics (node, antenna_value_lookup (view, "metrics"));
      break;

    case ANTENNA_SPARKPLUG_NCMD:
    case ANTENNA_SPARKPLUG_DCMD:
    case ANTENNA_SPARKPLUG_STATE:
    case ANTENNA_SPARKPLUG_UNKNOWN:
    default:
      /* Commands come from a host: no seq of the edge node. */
      break;
    }

  _antenna_sparkplug_node_set_last_seen (node, antenna_message_get_timestamp (message));
  if (node != edge && !birth)
    _antenna_sparkplug_node_set_last_seen (edge, antenna_message_get_timestamp (message));

  if (_antenna_sparkplug_node_get_aliases (node) != NULL)
    info->aliases = _antenna_sparkplug_aliases_ref (_antenna_sparkplug_node_get_aliases (node));
  _antenna_sparkplug_message_set_info (message, info);
  return TRUE;
}

void
antenna_sparkplug_model_add_message (AntennaSparkplugModel *self,
                                     AntennaMessage        *message)
{
  g_return_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  if (add_message (self, message))
    g_signal_emit (self, signals[CHANGED], 0);
}

void
antenna_sparkplug_model_observe (AntennaSparkplugModel *self,
                                 AntennaClient         *client)
{
  g_return_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (self));
  g_return_if_fail (client == NULL || ANTENNA_IS_CLIENT (client));

  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->messages_handler, self->client);
      g_object_remove_weak_pointer (G_OBJECT (self->client), (gpointer *) &self->client);
      self->client = NULL;
    }

  if (client != NULL)
    {
      self->client = client;
      g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &self->client);
      self->messages_handler = g_signal_connect_object (client, "messages-received",
                                                        G_CALLBACK (on_messages_received_cb), self, 0);
    }
}
