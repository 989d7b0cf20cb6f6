/* antenna-sparkplug.c: Sparkplug B topics, payloads and the decoder
 *
 * A payload is decoded against our sparkplug_b.proto (a GResource) by the
 * protobuf decoder, then turned into the view of antenna-sparkplug.h here:
 * every value field read by the metric's datatype. Aliases, seq and bdSeq
 * need the messages before this one: the model (antenna-sparkplug-model.c)
 * follows them in order and leaves what it found on each message, which
 * the decoder reads back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-sparkplug"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "antenna-core-resources.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-protobuf-private.h"
#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-private.h"

#define SCHEMA_RESOURCE "/io/github/antennamqtt/Antenna/core/sparkplug_b.proto"
#define FORMAT_NAME "Sparkplug B"
#define REBIRTH_METRIC "Node Control/Rebirth"
#define DATATYPE_BOOLEAN 11

static const char * const message_types[] = {
  "", "NBIRTH", "NDEATH", "DBIRTH", "DDEATH", "NDATA", "DDATA", "NCMD", "DCMD", "STATE",
};

static const char * const datatypes[] = {
  "Unknown", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
  "Float", "Double", "Boolean", "String", "DateTime", "Text", "UUID", "DataSet", "Bytes",
  "File", "Template", "PropertySet", "PropertySetList", "Int8Array", "Int16Array",
  "Int32Array", "Int64Array", "UInt8Array", "UInt16Array", "UInt32Array", "UInt64Array",
  "FloatArray", "DoubleArray", "BooleanArray", "StringArray", "DateTimeArray",
};

enum {
  DT_INT8 = 1, DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64,
  DT_FLOAT, DT_DOUBLE, DT_BOOLEAN, DT_STRING, DT_DATETIME, DT_TEXT, DT_UUID, DT_DATASET,
  DT_BYTES, DT_FILE, DT_TEMPLATE, DT_PROPERTYSET, DT_PROPERTYSETLIST, DT_INT8_ARRAY,
  DT_INT16_ARRAY, DT_INT32_ARRAY, DT_INT64_ARRAY, DT_UINT8_ARRAY, DT_UINT16_ARRAY,
  DT_UINT32_ARRAY, DT_UINT64_ARRAY, DT_FLOAT_ARRAY, DT_DOUBLE_ARRAY, DT_BOOLEAN_ARRAY,
  DT_STRING_ARRAY, DT_DATETIME_ARRAY,
};

gboolean
antenna_sparkplug_parse_topic (const char                   *topic,
                               AntennaSparkplugMessageType  *type,
                               char                        **group,
                               char                        **edge_node,
                               char                        **device)
{
  g_auto(GStrv) parts = NULL;
  guint n;
  AntennaSparkplugMessageType t = ANTENNA_SPARKPLUG_UNKNOWN;

  g_return_val_if_fail (topic != NULL, FALSE);

  if (!g_str_has_prefix (topic, ANTENNA_SPARKPLUG_NAMESPACE "/"))
    return FALSE;

  parts = g_strsplit (topic, "/", 6);
  n = g_strv_length (parts);

  if (n == 3 && g_str_equal (parts[1], "STATE") && parts[2][0] != '\0')
    {
      if (type != NULL)
        *type = ANTENNA_SPARKPLUG_STATE;
      if (group != NULL)
        *group = NULL;
      if (edge_node != NULL)
        *edge_node = g_strdup (parts[2]);
      if (device != NULL)
        *device = NULL;
      return TRUE;
    }

  if (n < 4 || n > 5 || parts[1][0] == '\0' || parts[3][0] == '\0')
    return FALSE;

  for (guint i = ANTENNA_SPARKPLUG_NBIRTH; i < ANTENNA_SPARKPLUG_STATE; i++)
    if (g_str_equal (parts[2], message_types[i]))
      t = i;
  if (t == ANTENNA_SPARKPLUG_UNKNOWN)
    return FALSE;

  /* Device messages name a device; node messages do not. */
  {
    gboolean device_type = t == ANTENNA_SPARKPLUG_DBIRTH || t == ANTENNA_SPARKPLUG_DDEATH ||
                           t == ANTENNA_SPARKPLUG_DDATA || t == ANTENNA_SPARKPLUG_DCMD;

    if (device_type != (n == 5) || (n == 5 && parts[4][0] == '\0'))
      return FALSE;
  }

  if (type != NULL)
    *type = t;
  if (group != NULL)
    *group = g_strdup (parts[1]);
  if (edge_node != NULL)
    *edge_node = g_strdup (parts[3]);
  if (device != NULL)
    *device = n == 5 ? g_strdup (parts[4]) : NULL;
  return TRUE;
}

const char *
antenna_sparkplug_message_type_to_string (AntennaSparkplugMessageType type)
{
  g_return_val_if_fail (type <= ANTENNA_SPARKPLUG_STATE, "");

  return message_types[type];
}

const char *
antenna_sparkplug_datatype_to_string (guint32 datatype)
{
  return datatype < G_N_ELEMENTS (datatypes) ? datatypes[datatype] : NULL;
}

char *
antenna_sparkplug_build_rebirth_topic (const char *group,
                                       const char *edge_node)
{
  g_return_val_if_fail (group != NULL && edge_node != NULL, NULL);

  return g_strdup_printf (ANTENNA_SPARKPLUG_NAMESPACE "/%s/NCMD/%s", group, edge_node);
}

GBytes *
antenna_sparkplug_build_rebirth (gint64 timestamp_ms)
{
  g_autoptr(GByteArray) metric = g_byte_array_new ();
  GByteArray *payload = g_byte_array_new ();
  gsize name_len = strlen (REBIRTH_METRIC);

  /* Metric: name (1), timestamp (3), datatype (4) Boolean, boolean_value (14). */
  _antenna_protobuf_put_tag (metric, 1, 2);
  _antenna_protobuf_put_varint (metric, name_len);
  g_byte_array_append (metric, (const guint8 *) REBIRTH_METRIC, name_len);
  _antenna_protobuf_put_tag (metric, 3, 0);
  _antenna_protobuf_put_varint (metric, (guint64) timestamp_ms);
  _antenna_protobuf_put_tag (metric, 4, 0);
  _antenna_protobuf_put_varint (metric, DATATYPE_BOOLEAN);
  _antenna_protobuf_put_tag (metric, 14, 0);
  _antenna_protobuf_put_varint (metric, 1);

  /* Payload: timestamp (1), metrics (2). */
  _antenna_protobuf_put_tag (payload, 1, 0);
  _antenna_protobuf_put_varint (payload, (guint64) timestamp_ms);
  _antenna_protobuf_put_tag (payload, 2, 2);
  _antenna_protobuf_put_varint (payload, metric->len);
  g_byte_array_append (payload, metric->data, metric->len);

  return g_byte_array_free_to_bytes (payload);
}

const char *
antenna_sparkplug_get_schema_text (void)
{
  static GBytes *text;

  if (g_once_init_enter (&text))
    {
      GBytes *bytes = g_resource_lookup_data (antenna_core_get_resource (), SCHEMA_RESOURCE,
                                              G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      g_assert (bytes != NULL);
      g_once_init_leave (&text, bytes);
    }
  /* GResource data is NUL-terminated. */
  return g_bytes_get_data (text, NULL);
}

AntennaProtoSchema *
_antenna_sparkplug_get_schema (void)
{
  static AntennaProtoSchema *schema;

  if (g_once_init_enter (&schema))
    {
      g_autoptr(GError) error = NULL;
      AntennaProtoSchema *s = antenna_proto_schema_new_from_text ("sparkplug_b.proto",
                                                                  antenna_sparkplug_get_schema_text (),
                                                                  &error);

      g_assert_no_error (error);
      g_once_init_leave (&schema, s);
    }
  return schema;
}

/* Aliases */

typedef struct {
  char    *name;
  guint32  datatype;   /* 0: not given */
  gint64   alias;
} AliasEntry;

struct _SparkplugAliases
{
  gatomicrefcount  ref_count;
  GPtrArray       *entries;    /* of AliasEntry *, owned */
  GHashTable      *by_alias;   /* &entry->alias → AliasEntry * (borrowed) */
  GHashTable      *by_name;    /* entry->name → AliasEntry * (borrowed) */
};

static void
alias_entry_free (AliasEntry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

SparkplugAliases *
_antenna_sparkplug_aliases_ref (SparkplugAliases *aliases)
{
  g_atomic_ref_count_inc (&aliases->ref_count);
  return aliases;
}

void
_antenna_sparkplug_aliases_unref (SparkplugAliases *aliases)
{
  if (!g_atomic_ref_count_dec (&aliases->ref_count))
    return;
  g_hash_table_unref (aliases->by_name);
  g_hash_table_unref (aliases->by_alias);
  g_ptr_array_unref (aliases->entries);
  g_free (aliases);
}

static guint32
datatype_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (datatypes); i++)
    if (g_str_equal (name, datatypes[i]))
      return i;
  return 0;
}

SparkplugAliases *
_antenna_sparkplug_aliases_new_from_view (AntennaValue *view)
{
  SparkplugAliases *aliases = g_new0 (SparkplugAliases, 1);
  AntennaValue *metrics = antenna_value_lookup (view, "metrics");

  g_atomic_ref_count_init (&aliases->ref_count);
  aliases->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) alias_entry_free);
  aliases->by_alias = g_hash_table_new (g_int64_hash, g_int64_equal);
  aliases->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; metrics != NULL && i < antenna_value_get_n_children (metrics); i++)
    {
      AntennaValue *metric = antenna_value_get_child (metrics, i);
      AntennaValue *name = antenna_value_lookup (metric, "name");
      AntennaValue *alias = antenna_value_lookup (metric, "alias");
      AntennaValue *type = antenna_value_lookup (metric, "type");
      AliasEntry *entry;

      if (name == NULL || antenna_value_get_kind (name) != ANTENNA_VALUE_STRING)
        continue;

      entry = g_new0 (AliasEntry, 1);
      entry->name = g_strdup (antenna_value_get_string (name, NULL));
      entry->datatype = type != NULL && antenna_value_get_kind (type) == ANTENNA_VALUE_STRING
                        ? datatype_from_name (antenna_value_get_string (type, NULL)) : 0;
      g_ptr_array_add (aliases->entries, entry);

      /* A birth that gives one alias or name twice (it should not): the
       * last one counts, as for a value. */
      g_hash_table_replace (aliases->by_name, entry->name, entry);
      if (alias != NULL && antenna_value_get_kind (alias) == ANTENNA_VALUE_INT)
        {
          entry->alias = antenna_value_get_int (alias);
          g_hash_table_replace (aliases->by_alias, &entry->alias, entry);
        }
    }

  return aliases;
}

/* Message info */

static GQuark
info_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("antenna-sparkplug-info");
  return quark;
}

static void
info_free (SparkplugMessageInfo *info)
{
  g_clear_pointer (&info->notes, g_ptr_array_unref);
  g_clear_pointer (&info->aliases, _antenna_sparkplug_aliases_unref);
  g_free (info);
}

SparkplugMessageInfo *
_antenna_sparkplug_message_get_info (AntennaMessage *message)
{
  return g_object_get_qdata (G_OBJECT (message), info_quark ());
}

void
_antenna_sparkplug_message_set_info (AntennaMessage       *message,
                                     SparkplugMessageInfo *info)
{
  g_object_set_qdata_full (G_OBJECT (message), info_quark (), info, (GDestroyNotify) info_free);
}

/* The view */

static gint64
sign_extend (guint64 v,
             guint   bits)
{
  guint64 mask = bits == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bits) - 1;
  guint64 sign = G_GUINT64_CONSTANT (1) << (bits - 1);

  v &= mask;
  return (gint64) ((v ^ sign) - sign);
}

/* The first of the value fields that @holder has. */
static AntennaValue *
any_value (AntennaValue *holder)
{
  static const char * const fields[] = {
    "int_value", "long_value", "float_value", "double_value", "boolean_value",
    "string_value", "bytes_value", "dataset_value", "template_value",
    "propertyset_value", "propertysets_value", "extension_value", NULL
  };

  for (guint i = 0; fields[i] != NULL; i++)
    {
      AntennaValue *v = antenna_value_lookup (holder, fields[i]);

      if (v != NULL)
        return v;
    }
  return NULL;
}

static guint64
integer_of (AntennaValue *v)
{
  if (v == NULL)
    return 0;
  if (antenna_value_get_kind (v) == ANTENNA_VALUE_UINT)
    return antenna_value_get_uint (v);
  if (antenna_value_get_kind (v) == ANTENNA_VALUE_INT)
    return (guint64) antenna_value_get_int (v);
  return 0;
}

static AntennaValue *
annotated (AntennaValue *value,
           const char   *annotation)
{
  antenna_value_set_annotation (value, annotation);
  return value;
}

static AntennaValue *unpack_array (guint32 datatype, GBytes *bytes);
static AntennaValue *metric_view (AntennaValue *metric, SparkplugAliases *aliases, guint *n_unresolved, guint depth);
static AntennaValue *property_set_view (AntennaValue *set, guint depth);

#define MAX_VIEW_DEPTH 32

/* @holder's value by @datatype: a Metric, PropertyValue, DataSetValue or
 * Template Parameter. */
static AntennaValue *
typed_value (guint32       datatype,
             AntennaValue *holder,
             guint         depth)
{
  AntennaValue *raw = any_value (holder);
  AntennaValue *is_null = antenna_value_lookup (holder, "is_null");

  if ((is_null != NULL && antenna_value_get_kind (is_null) == ANTENNA_VALUE_BOOL && antenna_value_get_bool (is_null)) ||
      raw == NULL)
    return antenna_value_new_null ();

  switch (datatype)
    {
    case DT_INT8:
      return antenna_value_new_int (sign_extend (integer_of (raw), 8));
    case DT_INT16:
      return antenna_value_new_int (sign_extend (integer_of (raw), 16));
    case DT_INT32:
      return antenna_value_new_int (sign_extend (integer_of (raw), 32));
    case DT_INT64:
      return antenna_value_new_int ((gint64) integer_of (raw));
    case DT_UINT8:
    case DT_UINT16:
    case DT_UINT32:
    case DT_UINT64:
      return antenna_value_new_uint (integer_of (raw));
    case DT_DATETIME:
      {
        guint64 ms = integer_of (raw);

        return antenna_value_new_timestamp ((gint64) (ms / 1000), (guint32) (ms % 1000) * 1000000);
      }
    case DT_DATASET:
      if (antenna_value_get_kind (raw) == ANTENNA_VALUE_MAP)
        {
          AntennaValue *columns = antenna_value_lookup (raw, "columns");
          AntennaValue *types = antenna_value_lookup (raw, "types");
          AntennaValue *rows = antenna_value_lookup (raw, "rows");
          AntennaValue *table = antenna_value_new_array ();
          guint n_columns = columns != NULL ? antenna_value_get_n_children (columns) : 0;

          for (guint r = 0; rows != NULL && r < antenna_value_get_n_children (rows); r++)
            {
              AntennaValue *elements = antenna_value_lookup (antenna_value_get_child (rows, r), "elements");
              AntennaValue *row = antenna_value_new_map ();

              for (guint c = 0; elements != NULL && c < antenna_value_get_n_children (elements); c++)
                {
                  guint32 type = types != NULL && c < antenna_value_get_n_children (types)
                                 ? (guint32) integer_of (antenna_value_get_child (types, c)) : 0;
                  AntennaValue *key = c < n_columns ? antenna_value_ref (antenna_value_get_child (columns, c))
                                                    : antenna_value_new_int (c);

                  antenna_value_map_append (row, key, typed_value (type, antenna_value_get_child (elements, c), depth + 1));
                }
              antenna_value_array_append (table, row);
            }
          antenna_value_take_annotation (table,
                                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "DataSet of %u column",
                                                                       "DataSet of %u columns", n_columns),
                                                          n_columns));
          return table;
        }
      break;
    case DT_TEMPLATE:
      if (antenna_value_get_kind (raw) == ANTENNA_VALUE_MAP && depth < MAX_VIEW_DEPTH)
        {
          AntennaValue *view = antenna_value_new_map ();
          static const char * const plain[] = { "template_ref", "version", "is_definition", NULL };
          AntennaValue *parameters = antenna_value_lookup (raw, "parameters");
          AntennaValue *metrics = antenna_value_lookup (raw, "metrics");

          for (guint i = 0; plain[i] != NULL; i++)
            if (antenna_value_lookup (raw, plain[i]) != NULL)
              antenna_value_map_insert (view, plain[i], antenna_value_ref (antenna_value_lookup (raw, plain[i])));
          if (parameters != NULL)
            {
              AntennaValue *map = antenna_value_new_map ();

              for (guint i = 0; i < antenna_value_get_n_children (parameters); i++)
                {
                  AntennaValue *p = antenna_value_get_child (parameters, i);
                  AntennaValue *name = antenna_value_lookup (p, "name");

                  antenna_value_map_append (map, name != NULL ? antenna_value_ref (name) : antenna_value_new_int (i),
                                            typed_value ((guint32) integer_of (antenna_value_lookup (p, "type")), p, depth + 1));
                }
              antenna_value_map_insert (view, "parameters", map);
            }
          if (metrics != NULL)
            {
              AntennaValue *list = antenna_value_new_array ();

              for (guint i = 0; i < antenna_value_get_n_children (metrics); i++)
                antenna_value_array_append (list, metric_view (antenna_value_get_child (metrics, i), NULL, NULL, depth + 1));
              antenna_value_map_insert (view, "metrics", list);
            }
          return view;
        }
      break;
    case DT_PROPERTYSET:
      if (antenna_value_get_kind (raw) == ANTENNA_VALUE_MAP && depth < MAX_VIEW_DEPTH)
        return property_set_view (raw, depth + 1);
      break;
    case DT_PROPERTYSETLIST:
      if (antenna_value_get_kind (raw) == ANTENNA_VALUE_MAP && depth < MAX_VIEW_DEPTH)
        {
          AntennaValue *sets = antenna_value_lookup (raw, "propertyset");
          AntennaValue *list = antenna_value_new_array ();

          for (guint i = 0; sets != NULL && i < antenna_value_get_n_children (sets); i++)
            antenna_value_array_append (list, property_set_view (antenna_value_get_child (sets, i), depth + 1));
          return list;
        }
      break;
    case DT_INT8_ARRAY:
    case DT_INT16_ARRAY:
    case DT_INT32_ARRAY:
    case DT_INT64_ARRAY:
    case DT_UINT8_ARRAY:
    case DT_UINT16_ARRAY:
    case DT_UINT32_ARRAY:
    case DT_UINT64_ARRAY:
    case DT_FLOAT_ARRAY:
    case DT_DOUBLE_ARRAY:
    case DT_BOOLEAN_ARRAY:
    case DT_STRING_ARRAY:
    case DT_DATETIME_ARRAY:
      if (antenna_value_get_kind (raw) == ANTENNA_VALUE_BYTES)
        {
          AntennaValue *array = unpack_array (datatype, antenna_value_get_bytes (raw));

          if (array != NULL)
            return array;
          return annotated (antenna_value_ref (raw), _("bytes that do not make whole values of the array’s type"));
        }
      break;
    case DT_FLOAT:
    case DT_DOUBLE:
    case DT_BOOLEAN:
    case DT_STRING:
    case DT_TEXT:
    case DT_UUID:
    case DT_BYTES:
    case DT_FILE:
    default:
      break;
    }

  return antenna_value_ref (raw);
}

static AntennaValue *
unpack_array (guint32  datatype,
              GBytes  *bytes)
{
  gsize n;
  const guchar *p = g_bytes_get_data (bytes, &n);
  g_autoptr(AntennaValue) array = antenna_value_new_array ();
  guint width;

  if (p == NULL)
    p = (const guchar *) "";

  switch (datatype)
    {
    case DT_BOOLEAN_ARRAY:
      {
        guint32 count;

        if (n < 4)
          return NULL;
        count = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
        if ((guint64) (count + 7) / 8 > n - 4)
          return NULL;
        for (guint32 i = 0; i < count; i++)
          antenna_value_array_append (array, antenna_value_new_bool ((p[4 + i / 8] >> (7 - i % 8)) & 1));
        return g_steal_pointer (&array);
      }

    case DT_STRING_ARRAY:
      {
        gsize start = 0;

        for (gsize i = 0; i < n; i++)
          {
            if (p[i] == '\0')
              {
                antenna_value_array_append (array, antenna_value_new_text ((const char *) p + start, i - start, start));
                start = i + 1;
              }
          }
        if (start != n)
          return NULL;   /* the last string has no terminator */
        return g_steal_pointer (&array);
      }

    case DT_INT8_ARRAY:
    case DT_UINT8_ARRAY:
      width = 1;
      break;
    case DT_INT16_ARRAY:
    case DT_UINT16_ARRAY:
      width = 2;
      break;
    case DT_INT32_ARRAY:
    case DT_UINT32_ARRAY:
    case DT_FLOAT_ARRAY:
      width = 4;
      break;
    case DT_INT64_ARRAY:
    case DT_UINT64_ARRAY:
    case DT_DOUBLE_ARRAY:
    case DT_DATETIME_ARRAY:
    default:
      width = 8;
      break;
    }

  if (n % width != 0)
    return NULL;

  for (gsize i = 0; i < n; i += width)
    {
      guint64 v = 0;

      for (guint b = width; b > 0; b--)
        v = v << 8 | p[i + b - 1];

      switch (datatype)
        {
        case DT_INT8_ARRAY:
        case DT_INT16_ARRAY:
        case DT_INT32_ARRAY:
        case DT_INT64_ARRAY:
          antenna_value_array_append (array, antenna_value_new_int (sign_extend (v, width * 8)));
          break;
        case DT_FLOAT_ARRAY:
          {
            guint32 bits = (guint32) v;
            float f;

            memcpy (&f, &bits, sizeof f);
            antenna_value_array_append (array, antenna_value_new_double (f));
          }
          break;
        case DT_DOUBLE_ARRAY:
          {
            double d;

            memcpy (&d, &v, sizeof d);
            antenna_value_array_append (array, antenna_value_new_double (d));
          }
          break;
        case DT_DATETIME_ARRAY:
          {
            gint64 ms = (gint64) v;

            antenna_value_array_append (array, antenna_value_new_timestamp (ms / 1000 - (ms % 1000 < 0 ? 1 : 0),
                                                                            (guint32) (((ms % 1000) + 1000) % 1000) * 1000000));
          }
          break;
        case DT_UINT8_ARRAY:
        case DT_UINT16_ARRAY:
        case DT_UINT32_ARRAY:
        case DT_UINT64_ARRAY:
        default:
          antenna_value_array_append (array, antenna_value_new_uint (v));
          break;
        }
    }

  return g_steal_pointer (&array);
}

static AntennaValue *
property_set_view (AntennaValue *set,
                   guint         depth)
{
  AntennaValue *keys = antenna_value_lookup (set, "keys");
  AntennaValue *values = antenna_value_lookup (set, "values");
  AntennaValue *map = antenna_value_new_map ();
  guint n = keys != NULL ? antenna_value_get_n_children (keys) : 0;

  for (guint i = 0; i < n; i++)
    {
      AntennaValue *value = values != NULL && i < antenna_value_get_n_children (values)
                            ? antenna_value_get_child (values, i) : NULL;

      antenna_value_map_append (map, antenna_value_ref (antenna_value_get_child (keys, i)),
                                value != NULL ? typed_value ((guint32) integer_of (antenna_value_lookup (value, "type")),
                                                             value, depth + 1)
                                              : antenna_value_new_null ());
    }
  return map;
}

static AntennaValue *
timestamp_ms (AntennaValue *ms)
{
  guint64 v = integer_of (ms);

  return antenna_value_new_timestamp ((gint64) (v / 1000), (guint32) (v % 1000) * 1000000);
}

static AntennaValue *
metric_view (AntennaValue     *metric,
             SparkplugAliases *aliases,
             guint            *n_unresolved,
             guint             depth)
{
  AntennaValue *view = antenna_value_new_map ();
  AntennaValue *name = antenna_value_lookup (metric, "name");
  AntennaValue *alias = antenna_value_lookup (metric, "alias");
  AntennaValue *datatype = antenna_value_lookup (metric, "datatype");
  AntennaValue *timestamp = antenna_value_lookup (metric, "timestamp");
  AntennaValue *properties = antenna_value_lookup (metric, "properties");
  AntennaValue *metadata = antenna_value_lookup (metric, "metadata");
  AliasEntry *entry = NULL;
  guint32 type = datatype != NULL ? (guint32) integer_of (datatype) : 0;

  if (aliases != NULL)
    {
      if (name == NULL && alias != NULL)
        {
          gint64 key = (gint64) integer_of (alias);

          entry = g_hash_table_lookup (aliases->by_alias, &key);
        }
      else if (name != NULL && antenna_value_get_kind (name) == ANTENNA_VALUE_STRING)
        {
          entry = g_hash_table_lookup (aliases->by_name, antenna_value_get_string (name, NULL));
        }
    }

  if (name != NULL)
    antenna_value_map_insert (view, "name", antenna_value_ref (name));
  else if (entry != NULL)
    antenna_value_map_insert (view, "name",
                              annotated (antenna_value_new_string (entry->name, -1), _("from the alias, by the last birth")));
  else if (alias != NULL && n_unresolved != NULL)
    (*n_unresolved)++;

  if (alias != NULL)
    antenna_value_map_insert (view, "alias", antenna_value_ref (alias));

  /* DATA messages may leave the datatype out: the birth has it. */
  if (type == 0 && entry != NULL)
    type = entry->datatype;
  if (antenna_sparkplug_datatype_to_string (type) != NULL && type != 0)
    antenna_value_map_insert (view, "type", antenna_value_new_string (antenna_sparkplug_datatype_to_string (type), -1));
  else if (datatype != NULL)
    antenna_value_map_insert (view, "type", annotated (antenna_value_ref (datatype), _("not a Sparkplug datatype")));

  antenna_value_map_insert (view, "value", typed_value (type, metric, depth));

  if (timestamp != NULL)
    antenna_value_map_insert (view, "timestamp", timestamp_ms (timestamp));

  {
    static const char * const flags[] = { "is_historical", "is_transient", "is_null", NULL };

    for (guint i = 0; flags[i] != NULL; i++)
      {
        AntennaValue *flag = antenna_value_lookup (metric, flags[i]);

        if (flag != NULL)
          antenna_value_map_insert (view, flags[i], antenna_value_ref (flag));
      }
  }

  if (properties != NULL && depth < MAX_VIEW_DEPTH)
    antenna_value_map_insert (view, "properties", property_set_view (properties, depth + 1));
  if (metadata != NULL)
    antenna_value_map_insert (view, "metadata", antenna_value_ref (metadata));

  return view;
}

AntennaValue *
_antenna_sparkplug_view (AntennaValue     *raw,
                         SparkplugAliases *aliases,
                         guint            *n_unresolved)
{
  AntennaValue *view = antenna_value_new_map ();
  AntennaValue *timestamp = antenna_value_lookup (raw, "timestamp");
  AntennaValue *seq = antenna_value_lookup (raw, "seq");
  AntennaValue *uuid = antenna_value_lookup (raw, "uuid");
  AntennaValue *body = antenna_value_lookup (raw, "body");
  AntennaValue *metrics = antenna_value_lookup (raw, "metrics");

  if (timestamp != NULL)
    antenna_value_map_insert (view, "timestamp", timestamp_ms (timestamp));
  if (seq != NULL)
    antenna_value_map_insert (view, "seq", antenna_value_ref (seq));
  if (uuid != NULL)
    antenna_value_map_insert (view, "uuid", antenna_value_ref (uuid));
  if (body != NULL)
    antenna_value_map_insert (view, "body", antenna_value_ref (body));

  {
    AntennaValue *list = antenna_value_new_array ();

    for (guint i = 0; metrics != NULL && i < antenna_value_get_n_children (metrics); i++)
      antenna_value_array_append (list, metric_view (antenna_value_get_child (metrics, i), aliases, n_unresolved, 0));
    antenna_value_set_incomplete (list, metrics != NULL && antenna_value_is_incomplete (metrics));
    antenna_value_map_insert (view, "metrics", list);
  }

  /* Fields this schema does not have (a newer sender), by number. */
  for (guint i = 0; i < antenna_value_get_n_children (raw); i++)
    {
      AntennaValue *key = antenna_value_get_key (raw, i);

      if (antenna_value_get_kind (key) != ANTENNA_VALUE_STRING)
        antenna_value_map_append (view, antenna_value_ref (key), antenna_value_ref (antenna_value_get_child (raw, i)));
    }

  antenna_value_set_incomplete (view, antenna_value_is_incomplete (raw));
  return view;
}

AntennaValue *
_antenna_sparkplug_decode_payload (AntennaDecodeJob  *job,
                                   GBytes            *payload,
                                   SparkplugAliases  *aliases,
                                   guint             *n_unresolved,
                                   GError           **error)
{
  g_autoptr(AntennaValue) raw = NULL;

  raw = _antenna_protobuf_decode (job, _antenna_sparkplug_get_schema (), SPARKPLUG_PAYLOAD_TYPE, payload, error);
  if (raw == NULL)
    return NULL;
  return _antenna_sparkplug_view (raw, aliases, n_unresolved);
}

/* The decoder */

static AntennaValue *
decode_state (AntennaDecodeJob  *job,
              GBytes            *payload,
              GError           **error)
{
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);

  /* Sparkplug 2.x: the text ONLINE or OFFLINE. */
  if (data != NULL && ((size == 6 && memcmp (data, "ONLINE", 6) == 0) || (size == 7 && memcmp (data, "OFFLINE", 7) == 0)))
    return antenna_value_new_string (data, (gssize) size);

  return _antenna_decode_job_run (job, antenna_decoder_find (ANTENNA_DECODER_JSON), payload, error);
}

static AntennaValue *
decode_sparkplug (const AntennaDecoder  *self,
                  AntennaDecodeJob      *job,
                  GBytes                *payload,
                  GError               **error)
{
  AntennaSparkplugMessageType type = ANTENNA_SPARKPLUG_UNKNOWN;
  g_autofree char *group = NULL;
  g_autofree char *edge = NULL;
  g_autofree char *device = NULL;
  SparkplugMessageInfo *info = NULL;
  SparkplugAliases *aliases = NULL;
  AntennaValue *view;
  guint n_unresolved = 0;

  if (job->topic != NULL)
    antenna_sparkplug_parse_topic (job->topic, &type, &group, &edge, &device);

  if (type == ANTENNA_SPARKPLUG_STATE)
    return decode_state (job, payload, error);

  if (job->message != NULL)
    info = _antenna_sparkplug_message_get_info (job->message);
  if (info != NULL)
    aliases = info->aliases;
  else if (job->context != NULL && antenna_decoder_context_peek_sparkplug (job->context) != NULL && edge != NULL)
    aliases = _antenna_sparkplug_model_get_aliases (antenna_decoder_context_peek_sparkplug (job->context),
                                                    group, edge, device);

  view = _antenna_sparkplug_decode_payload (job, payload, aliases, &n_unresolved, error);
  if (view == NULL)
    return NULL;

  if (info != NULL)
    for (guint i = 0; i < info->notes->len; i++)
      _antenna_decode_job_add_note (job, info->flags, g_strdup (g_ptr_array_index (info->notes, i)));

  if (n_unresolved > 0)
    _antenna_decode_job_add_note (job, ANTENNA_DECODED_UNRESOLVED_ALIAS,
                                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u metric is sent by alias, and no birth of this node or device was seen to name it.",
                                                                "%u metrics are sent by alias, and no birth of this node or device was seen to name them.",
                                                                n_unresolved),
                                                   n_unresolved));
  return view;
}

const AntennaDecoder _antenna_decoder_sparkplug = {
  .id = ANTENNA_DECODER_SPARKPLUG,
  .name = N_("Sparkplug B"),
  .decode = decode_sparkplug,
};
