/* antenna-sparkplug-node.c: a group, edge node, device or host of the
 * Sparkplug model, and the metrics it has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-sparkplug"

#include "config.h"

#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-private.h"

struct _AntennaSparkplugMetric
{
  GObject       parent_instance;

  char         *name;
  gint64        alias;
  char         *datatype;
  AntennaValue *value;
  gint64        timestamp;
  char         *units;
};

struct _AntennaSparkplugNode
{
  GObject                   parent_instance;

  AntennaSparkplugNodeKind  kind;
  char                     *name;
  gboolean                  online;
  gint64                    bdseq;
  gint                      seq;         /* the last one, -1: none */
  gint64                    last_seen;
  GListStore               *children;
  GListStore               *metrics;
  GHashTable               *metrics_by_name;   /* borrowed */
  SparkplugAliases         *aliases;
};

enum {
  METRIC_PROP_0,
  METRIC_PROP_NAME,
  METRIC_PROP_ALIAS,
  METRIC_PROP_DATATYPE,
  METRIC_PROP_VALUE,
  METRIC_PROP_TIMESTAMP,
  METRIC_PROP_UNITS,
  METRIC_N_PROPS
};

enum {
  NODE_PROP_0,
  NODE_PROP_KIND,
  NODE_PROP_NAME,
  NODE_PROP_ONLINE,
  NODE_PROP_BDSEQ,
  NODE_PROP_LAST_SEEN,
  NODE_N_PROPS
};

G_DEFINE_FINAL_TYPE (AntennaSparkplugMetric, antenna_sparkplug_metric, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (AntennaSparkplugNode, antenna_sparkplug_node, G_TYPE_OBJECT)

static GParamSpec *metric_properties[METRIC_N_PROPS];
static GParamSpec *node_properties[NODE_N_PROPS];

/* Metrics */

static void
antenna_sparkplug_metric_finalize (GObject *object)
{
  AntennaSparkplugMetric *self = ANTENNA_SPARKPLUG_METRIC (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->datatype, g_free);
  g_clear_pointer (&self->value, antenna_value_unref);
  g_clear_pointer (&self->units, g_free);

  G_OBJECT_CLASS (antenna_sparkplug_metric_parent_class)->finalize (object);
}

static void
antenna_sparkplug_metric_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  AntennaSparkplugMetric *self = ANTENNA_SPARKPLUG_METRIC (object);

  switch (prop_id)
    {
    case METRIC_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case METRIC_PROP_ALIAS:
      g_value_set_int64 (value, self->alias);
      break;
    case METRIC_PROP_DATATYPE:
      g_value_set_string (value, self->datatype);
      break;
    case METRIC_PROP_VALUE:
      g_value_set_boxed (value, self->value);
      break;
    case METRIC_PROP_TIMESTAMP:
      g_value_set_int64 (value, self->timestamp);
      break;
    case METRIC_PROP_UNITS:
      g_value_set_string (value, self->units);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_sparkplug_metric_class_init (AntennaSparkplugMetricClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_sparkplug_metric_finalize;
  object_class->get_property = antenna_sparkplug_metric_get_property;

  metric_properties[METRIC_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  metric_properties[METRIC_PROP_ALIAS] =
    g_param_spec_int64 ("alias", NULL, NULL, -1, G_MAXINT64, -1, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  metric_properties[METRIC_PROP_DATATYPE] =
    g_param_spec_string ("datatype", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  metric_properties[METRIC_PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL, ANTENNA_TYPE_VALUE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  metric_properties[METRIC_PROP_TIMESTAMP] =
    g_param_spec_int64 ("timestamp", NULL, NULL, G_MININT64, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  metric_properties[METRIC_PROP_UNITS] =
    g_param_spec_string ("units", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, METRIC_N_PROPS, metric_properties);
}

static void
antenna_sparkplug_metric_init (AntennaSparkplugMetric *self)
{
  self->name = g_strdup ("");
  self->alias = -1;
  self->datatype = g_strdup ("");
  self->value = antenna_value_new_null ();
  self->units = g_strdup ("");
}

static void
metric_set_string (AntennaSparkplugMetric  *self,
                   char                   **field,
                   const char              *value,
                   guint                    prop_id)
{
  if (value == NULL || g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), metric_properties[prop_id]);
}

static gint64
timestamp_ms_of (AntennaValue *value)
{
  gint64 seconds;
  guint32 nanoseconds;

  if (value == NULL || antenna_value_get_kind (value) != ANTENNA_VALUE_TIMESTAMP)
    return 0;
  antenna_value_get_timestamp (value, &seconds, &nanoseconds);
  return seconds * 1000 + nanoseconds / 1000000;
}

static const char *
string_of (AntennaValue *value)
{
  if (value == NULL || antenna_value_get_kind (value) != ANTENNA_VALUE_STRING)
    return NULL;
  return antenna_value_get_string (value, NULL);
}

/* Takes what a metric's view says. */
static void
metric_update (AntennaSparkplugMetric *self,
               AntennaValue           *view)
{
  AntennaValue *alias = antenna_value_lookup (view, "alias");
  AntennaValue *value = antenna_value_lookup (view, "value");
  AntennaValue *properties = antenna_value_lookup (view, "properties");
  gint64 timestamp = timestamp_ms_of (antenna_value_lookup (view, "timestamp"));

  g_object_freeze_notify (G_OBJECT (self));

  metric_set_string (self, &self->name, string_of (antenna_value_lookup (view, "name")), METRIC_PROP_NAME);
  metric_set_string (self, &self->datatype, string_of (antenna_value_lookup (view, "type")), METRIC_PROP_DATATYPE);
  if (properties != NULL)
    {
      const char *units = string_of (antenna_value_lookup (properties, "engUnit"));

      if (units == NULL)
        units = string_of (antenna_value_lookup (properties, "engUnits"));
      metric_set_string (self, &self->units, units, METRIC_PROP_UNITS);
    }

  if (alias != NULL && antenna_value_get_kind (alias) == ANTENNA_VALUE_INT && antenna_value_get_int (alias) != self->alias)
    {
      self->alias = antenna_value_get_int (alias);
      g_object_notify_by_pspec (G_OBJECT (self), metric_properties[METRIC_PROP_ALIAS]);
    }
  if (value != NULL && !antenna_value_equal (value, self->value))
    {
      antenna_value_unref (self->value);
      self->value = antenna_value_ref (value);
      g_object_notify_by_pspec (G_OBJECT (self), metric_properties[METRIC_PROP_VALUE]);
    }
  if (timestamp != 0 && timestamp != self->timestamp)
    {
      self->timestamp = timestamp;
      g_object_notify_by_pspec (G_OBJECT (self), metric_properties[METRIC_PROP_TIMESTAMP]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
antenna_sparkplug_metric_get_name (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), NULL);
  return self->name;
}

gint64
antenna_sparkplug_metric_get_alias (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), -1);
  return self->alias;
}

const char *
antenna_sparkplug_metric_get_datatype (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), NULL);
  return self->datatype;
}

AntennaValue *
antenna_sparkplug_metric_get_value (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), NULL);
  return self->value;
}

gint64
antenna_sparkplug_metric_get_timestamp (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), 0);
  return self->timestamp;
}

const char *
antenna_sparkplug_metric_get_units (AntennaSparkplugMetric *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_METRIC (self), NULL);
  return self->units;
}

/* Nodes */

static void
antenna_sparkplug_node_finalize (GObject *object)
{
  AntennaSparkplugNode *self = ANTENNA_SPARKPLUG_NODE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->children);
  g_clear_object (&self->metrics);
  g_clear_pointer (&self->metrics_by_name, g_hash_table_unref);
  g_clear_pointer (&self->aliases, _antenna_sparkplug_aliases_unref);

  G_OBJECT_CLASS (antenna_sparkplug_node_parent_class)->finalize (object);
}

static void
antenna_sparkplug_node_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaSparkplugNode *self = ANTENNA_SPARKPLUG_NODE (object);

  switch (prop_id)
    {
    case NODE_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case NODE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case NODE_PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case NODE_PROP_BDSEQ:
      g_value_set_int64 (value, self->bdseq);
      break;
    case NODE_PROP_LAST_SEEN:
      g_value_set_int64 (value, self->last_seen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_sparkplug_node_class_init (AntennaSparkplugNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_sparkplug_node_finalize;
  object_class->get_property = antenna_sparkplug_node_get_property;

  node_properties[NODE_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, ANTENNA_TYPE_SPARKPLUG_NODE_KIND, ANTENNA_SPARKPLUG_NODE_GROUP,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_BDSEQ] =
    g_param_spec_int64 ("bdseq", NULL, NULL, -1, G_MAXINT64, -1, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  node_properties[NODE_PROP_LAST_SEEN] =
    g_param_spec_int64 ("last-seen", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, NODE_N_PROPS, node_properties);
}

static void
antenna_sparkplug_node_init (AntennaSparkplugNode *self)
{
  self->bdseq = -1;
  self->seq = -1;
  self->children = g_list_store_new (ANTENNA_TYPE_SPARKPLUG_NODE);
  self->metrics = g_list_store_new (ANTENNA_TYPE_SPARKPLUG_METRIC);
  self->metrics_by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

AntennaSparkplugNode *
_antenna_sparkplug_node_new (AntennaSparkplugNodeKind  kind,
                             const char               *name)
{
  AntennaSparkplugNode *self = g_object_new (ANTENNA_TYPE_SPARKPLUG_NODE, NULL);

  self->kind = kind;
  self->name = g_strdup (name);
  return self;
}

AntennaSparkplugNode *
_antenna_sparkplug_node_ensure_child (AntennaSparkplugNode     *self,
                                      AntennaSparkplugNodeKind  kind,
                                      const char               *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->children));
  g_autoptr(AntennaSparkplugNode) child = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSparkplugNode) existing = g_list_model_get_item (G_LIST_MODEL (self->children), i);

      if (g_str_equal (existing->name, name))
        return existing;   /* the store keeps its reference */
    }

  child = _antenna_sparkplug_node_new (kind, name);
  g_list_store_append (self->children, child);
  return child;
}

void
_antenna_sparkplug_node_set_online (AntennaSparkplugNode *self,
                                    gboolean              online)
{
  if (self->online == !!online)
    return;
  self->online = !!online;
  g_object_notify_by_pspec (G_OBJECT (self), node_properties[NODE_PROP_ONLINE]);
}

void
_antenna_sparkplug_node_set_bdseq (AntennaSparkplugNode *self,
                                   gint64                bdseq)
{
  if (self->bdseq == bdseq)
    return;
  self->bdseq = bdseq;
  g_object_notify_by_pspec (G_OBJECT (self), node_properties[NODE_PROP_BDSEQ]);
}

gint
_antenna_sparkplug_node_get_seq (AntennaSparkplugNode *self)
{
  return self->seq;
}

void
_antenna_sparkplug_node_set_seq (AntennaSparkplugNode *self,
                                 gint                  seq)
{
  self->seq = seq;
}

void
_antenna_sparkplug_node_set_last_seen (AntennaSparkplugNode *self,
                                       gint64                time_us)
{
  if (self->last_seen == time_us)
    return;
  self->last_seen = time_us;
  g_object_notify_by_pspec (G_OBJECT (self), node_properties[NODE_PROP_LAST_SEEN]);
}

SparkplugAliases *
_antenna_sparkplug_node_get_aliases (AntennaSparkplugNode *self)
{
  return self->aliases;
}

void
_antenna_sparkplug_node_set_aliases (AntennaSparkplugNode *self,
                                     SparkplugAliases     *aliases)
{
  g_clear_pointer (&self->aliases, _antenna_sparkplug_aliases_unref);
  self->aliases = aliases;
}

void
_antenna_sparkplug_node_replace_metrics (AntennaSparkplugNode *self,
                                         AntennaValue         *metrics)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_remove_all (self->metrics_by_name);
  for (guint i = 0; metrics != NULL && i < antenna_value_get_n_children (metrics); i++)
    {
      AntennaValue *view = antenna_value_get_child (metrics, i);
      AntennaSparkplugMetric *metric = g_object_new (ANTENNA_TYPE_SPARKPLUG_METRIC, NULL);

      metric_update (metric, view);
      g_ptr_array_add (fresh, metric);
      if (metric->name[0] != '\0')
        g_hash_table_replace (self->metrics_by_name, metric->name, metric);
    }

  g_list_store_splice (self->metrics, 0, g_list_model_get_n_items (G_LIST_MODEL (self->metrics)),
                       fresh->pdata, fresh->len);
}

void
_antenna_sparkplug_node_update_metrics (AntennaSparkplugNode *self,
                                        AntennaValue         *metrics)
{
  for (guint i = 0; metrics != NULL && i < antenna_value_get_n_children (metrics); i++)
    {
      AntennaValue *view = antenna_value_get_child (metrics, i);
      const char *name = string_of (antenna_value_lookup (view, "name"));
      AntennaSparkplugMetric *metric;

      if (name == NULL)
        continue;   /* an alias no birth named */

      metric = g_hash_table_lookup (self->metrics_by_name, name);
      if (metric == NULL)
        {
          g_autoptr(AntennaSparkplugMetric) added = g_object_new (ANTENNA_TYPE_SPARKPLUG_METRIC, NULL);

          metric_update (added, view);
          g_list_store_append (self->metrics, added);
          g_hash_table_replace (self->metrics_by_name, added->name, added);
          continue;
        }
      metric_update (metric, view);
      /* The name may be the key: it did not change (it was looked up). */
    }
}

AntennaSparkplugNodeKind
antenna_sparkplug_node_get_kind (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), ANTENNA_SPARKPLUG_NODE_GROUP);
  return self->kind;
}

const char *
antenna_sparkplug_node_get_name (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), NULL);
  return self->name;
}

gboolean
antenna_sparkplug_node_get_online (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), FALSE);
  return self->online;
}

gint64
antenna_sparkplug_node_get_bdseq (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), -1);
  return self->bdseq;
}

gint64
antenna_sparkplug_node_get_last_seen (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), 0);
  return self->last_seen;
}

GListModel *
antenna_sparkplug_node_get_children (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), NULL);
  return G_LIST_MODEL (self->children);
}

GListModel *
antenna_sparkplug_node_get_metrics (AntennaSparkplugNode *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), NULL);
  return G_LIST_MODEL (self->metrics);
}

AntennaSparkplugMetric *
antenna_sparkplug_node_find_metric (AntennaSparkplugNode *self,
                                    const char           *name)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_NODE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->metrics_by_name, name);
}
