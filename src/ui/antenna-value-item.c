/* antenna-value-item.c: one node of a decoded payload, for a tree list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-value-item"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-value-item.h"

/* A map key longer than this is cut in the key column. */
#define KEY_MAX_CHARS 120

struct _AntennaValueItem
{
  GObject       parent_instance;

  /* Owned References */
  char         *key;
  char         *display;
  AntennaValue *value;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_DISPLAY,
  PROP_KIND,
  PROP_ANNOTATION,
  PROP_EXPANDABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaValueItem, antenna_value_item, G_TYPE_OBJECT)

static gboolean
is_container (AntennaValue *value)
{
  AntennaValueKind kind = antenna_value_get_kind (value);

  return kind == ANTENNA_VALUE_ARRAY || kind == ANTENNA_VALUE_MAP;
}

static void
antenna_value_item_finalize (GObject *object)
{
  AntennaValueItem *self = ANTENNA_VALUE_ITEM (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->value, antenna_value_unref);

  G_OBJECT_CLASS (antenna_value_item_parent_class)->finalize (object);
}

static void
antenna_value_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AntennaValueItem *self = ANTENNA_VALUE_ITEM (object);
  const char *annotation;

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_DISPLAY:
      g_value_set_string (value, self->display);
      break;

    case PROP_KIND:
      g_value_set_string (value, antenna_value_kind_to_string (antenna_value_get_kind (self->value)));
      break;

    case PROP_ANNOTATION:
      annotation = antenna_value_get_annotation (self->value);
      if (antenna_value_is_incomplete (self->value))
        g_value_take_string (value, g_strdup_printf ("%s%s%s", annotation != NULL ? annotation : "",
                                                     annotation != NULL ? " · " : "",
                                                     _("incomplete")));
      else
        g_value_set_string (value, annotation != NULL ? annotation : "");
      break;

    case PROP_EXPANDABLE:
      g_value_set_boolean (value, is_container (self->value) && antenna_value_get_n_children (self->value) > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_value_item_class_init (AntennaValueItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_value_item_finalize;
  object_class->get_property = antenna_value_item_get_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY] =
    g_param_spec_string ("display", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANNOTATION] =
    g_param_spec_string ("annotation", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPANDABLE] =
    g_param_spec_boolean ("expandable", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_value_item_init (AntennaValueItem *self)
{
}

AntennaValueItem *
antenna_value_item_new (const char   *key,
                        AntennaValue *value)
{
  AntennaValueItem *self;

  g_return_val_if_fail (value != NULL, NULL);

  self = g_object_new (ANTENNA_TYPE_VALUE_ITEM, NULL);
  self->key = g_strdup (key != NULL ? key : "");
  self->value = antenna_value_ref (value);
  self->display = antenna_value_dup_display (value);
  return self;
}

const char *
antenna_value_item_get_key (AntennaValueItem *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_ITEM (self), NULL);

  return self->key;
}

const char *
antenna_value_item_get_display (AntennaValueItem *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_ITEM (self), NULL);

  return self->display;
}

AntennaValue *
antenna_value_item_get_value (AntennaValueItem *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_ITEM (self), NULL);

  return self->value;
}

GListModel *
antenna_value_item_dup_children (AntennaValueItem *self)
{
  g_autoptr(GPtrArray) items = NULL;
  GListStore *store;
  guint n;
  gboolean map;

  g_return_val_if_fail (ANTENNA_IS_VALUE_ITEM (self), NULL);

  if (!is_container (self->value) || antenna_value_get_n_children (self->value) == 0)
    return NULL;

  map = antenna_value_get_kind (self->value) == ANTENNA_VALUE_MAP;
  n = antenna_value_get_n_children (self->value);
  store = g_list_store_new (ANTENNA_TYPE_VALUE_ITEM);
  items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = NULL;

      if (map)
        {
          AntennaValue *k = antenna_value_get_key (self->value, i);

          if (antenna_value_get_kind (k) == ANTENNA_VALUE_STRING)
            key = g_strdup (antenna_value_get_string (k, NULL));
          else
            key = antenna_value_dup_preview (k, KEY_MAX_CHARS);
        }
      else
        key = g_strdup_printf ("[%u]", i);

      g_ptr_array_add (items, antenna_value_item_new (key, antenna_value_get_child (self->value, i)));
    }

  /* One items-changed for all: a map of 200,000 entries expands at once. */
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (store);
}
