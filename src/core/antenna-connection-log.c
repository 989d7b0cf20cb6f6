/* antenna-connection-log.c
 *
 * A ring of entries: adding is O(1), and so is reading one by position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-connection-log"

#include "config.h"

#include "antenna-connection-log.h"

struct _AntennaConnectionLog
{
  GObject                     parent_instance;

  AntennaConnectionLogEntry **ring;   /* @limit slots */
  guint                       limit;
  guint                       first;  /* the slot of the oldest entry */
  guint                       n;
};

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void antenna_connection_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaConnectionLog, antenna_connection_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      antenna_connection_log_list_model_init))

static GType
antenna_connection_log_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_CONNECTION_LOG_ENTRY;
}

static guint
antenna_connection_log_get_n_items (GListModel *model)
{
  return ANTENNA_CONNECTION_LOG (model)->n;
}

static gpointer
antenna_connection_log_get_item (GListModel *model,
                                 guint       position)
{
  AntennaConnectionLog *self = ANTENNA_CONNECTION_LOG (model);

  if (position >= self->n)
    return NULL;

  return g_object_ref (self->ring[(self->first + position) % self->limit]);
}

static void
antenna_connection_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_connection_log_get_item_type;
  iface->get_n_items = antenna_connection_log_get_n_items;
  iface->get_item = antenna_connection_log_get_item;
}

static void
antenna_connection_log_finalize (GObject *object)
{
  AntennaConnectionLog *self = ANTENNA_CONNECTION_LOG (object);

  for (guint i = 0; i < self->n; i++)
    g_object_unref (self->ring[(self->first + i) % self->limit]);
  g_free (self->ring);

  G_OBJECT_CLASS (antenna_connection_log_parent_class)->finalize (object);
}

static void
antenna_connection_log_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaConnectionLog *self = ANTENNA_CONNECTION_LOG (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AntennaConnectionLog *self = ANTENNA_CONNECTION_LOG (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      self->limit = g_value_get_uint (value);
      self->ring = g_new0 (AntennaConnectionLogEntry *, self->limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_class_init (AntennaConnectionLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_connection_log_finalize;
  object_class->get_property = antenna_connection_log_get_property;
  object_class->set_property = antenna_connection_log_set_property;

  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT / 2, ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_connection_log_init (AntennaConnectionLog *self)
{
}

AntennaConnectionLog *
antenna_connection_log_new (guint limit)
{
  g_return_val_if_fail (limit > 0, NULL);

  return g_object_new (ANTENNA_TYPE_CONNECTION_LOG, "limit", limit, NULL);
}

guint
antenna_connection_log_get_limit (AntennaConnectionLog *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG (self), 0);

  return self->limit;
}

void
antenna_connection_log_add_entry (AntennaConnectionLog      *self,
                                  AntennaConnectionLogEntry *entry)
{
  g_return_if_fail (ANTENNA_IS_CONNECTION_LOG (self));
  g_return_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (entry));

  if (self->n == self->limit)
    {
      g_clear_object (&self->ring[self->first]);
      self->first = (self->first + 1) % self->limit;
      self->n--;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 1, 0);
    }

  self->ring[(self->first + self->n) % self->limit] = g_object_ref (entry);
  self->n++;
  g_list_model_items_changed (G_LIST_MODEL (self), self->n - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
antenna_connection_log_add (AntennaConnectionLog      *self,
                            AntennaConnectionLogLevel  level,
                            const char                *detail,
                            const char                *format,
                            ...)
{
  g_autoptr(AntennaConnectionLogEntry) entry = NULL;
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (ANTENNA_IS_CONNECTION_LOG (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s%s%s%s", text, detail ? " [" : "", detail ? detail : "", detail ? "]" : "");

  entry = antenna_connection_log_entry_new (g_get_real_time (), level, text, detail);
  antenna_connection_log_add_entry (self, entry);
}

void
antenna_connection_log_clear (AntennaConnectionLog *self)
{
  guint n;

  g_return_if_fail (ANTENNA_IS_CONNECTION_LOG (self));

  n = self->n;
  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    g_clear_object (&self->ring[(self->first + i) % self->limit]);
  self->first = self->n = 0;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

char *
antenna_connection_log_format (GListModel *entries)
{
  GString *text;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (entries), NULL);

  text = g_string_new (NULL);
  n = g_list_model_get_n_items (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaConnectionLogEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *line = antenna_connection_log_entry_to_string (entry);

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}
