/* antenna-decoder-protobuf.c: Protocol Buffers, with or without a schema
 *
 * Our own wire reader (the format is five rules) serves both views:
 *
 * Without a schema (no "message-type" in the rule), the wire format:
 * field numbers as map keys (a number seen twice becomes a list), varints
 * as unsigned with their signed and zigzag readings in an annotation,
 * fixed32/fixed64 as integers with their float/double reading annotated,
 * and length-delimited fields read, in this order, as printable text, as a
 * nested message when every byte of them parses as one, as other UTF-8
 * text, as packed varints, else as bytes. Printable text is tried before a
 * nested message because short words often parse as a message ("hi" is
 * field 13, varint 105), while a message's tag and length bytes are
 * seldom all printable.
 *
 * With a schema (antenna-proto-schema.h) and a message type: field names,
 * typed values, enums by name, map<K, V> as maps with typed keys, packed
 * and unpacked repeated fields, unknown fields by number (annotated),
 * google.protobuf.Timestamp as a timestamp. A payload that does not match
 * is an error naming the byte, the field and what was expected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "antenna-decoder-context.h"
#include "antenna-decoder-private.h"
#include "antenna-decoder-protobuf-private.h"
#include "antenna-decoder-rule.h"
#include "antenna-proto-schema-private.h"

#define FORMAT_NAME "Protocol Buffers"

enum {
  WIRE_VARINT = 0,
  WIRE_FIXED64 = 1,
  WIRE_LEN = 2,
  WIRE_GROUP_START = 3,
  WIRE_GROUP_END = 4,
  WIRE_FIXED32 = 5,
};

typedef struct {
  AntennaDecodeJob *job;
  const guchar     *data;
  gsize             len;    /* bytes looked at */
  gsize             size;   /* bytes of the payload */
} PbReader;

/* One field as it is on the wire. */
typedef struct {
  gsize    start;       /* the tag's byte */
  gsize    value_start; /* the value's (a LEN field's: its bytes') */
  guint32  number;
  guint    wire_type;
  guint64  scalar;      /* varint, fixed32, fixed64 */
  gsize    length;      /* LEN */
} WireField;

typedef enum {
  READ_OK,
  READ_END,      /* the bytes looked at end inside the field (a cut payload) */
  READ_ERROR,
} ReadStatus;

static gboolean
read_varint (const guchar *data,
             gsize        *pos,
             gsize         end,
             guint64      *value)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 70; shift += 7)
    {
      guchar b;

      if (*pos >= end)
        return FALSE;
      b = data[(*pos)++];
      if (shift == 63 && b > 1)
        return FALSE;   /* more than 64 bits */
      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

static guint64
read_le (const guchar *p,
         guint         n)
{
  guint64 v = 0;

  for (guint i = n; i > 0; i--)
    v = v << 8 | p[i - 1];
  return v;
}

static ReadStatus read_field_at (PbReader *r, gsize *pos, gsize end, WireField *field, GError **error);

/* Reads the field at *@pos (before @end). READ_END: the bytes looked at end
 * inside it, and the stop is recorded. @error is set on READ_ERROR when not
 * NULL. */
static ReadStatus
read_field (PbReader   *r,
            gsize      *pos,
            gsize       end,
            WireField  *field,
            GError    **error)
{
  ReadStatus status = read_field_at (r, pos, end, field, error);

  if (status == READ_END)
    _antenna_decode_job_stop (r->job, ANTENNA_DECODE_STOP_BYTES, r->len, r->size);
  return status;
}

static ReadStatus
read_field_at (PbReader   *r,
            gsize      *pos,
            gsize       end,
            WireField  *field,
            GError    **error)
{
  guint64 tag;
  gsize p = *pos;
  gboolean at_cut = end == r->len && r->len < r->size;

  field->start = p;
  if (!read_varint (r->data, &p, end, &tag))
    {
      if (p >= end && at_cut)
        return READ_END;
      _antenna_decode_set_error (error, FORMAT_NAME, field->start,
                                 p >= end ? _("the payload ends inside a field’s tag")
                                          : _("a field’s tag is longer than 10 bytes"));
      return READ_ERROR;
    }

  field->number = (guint32) (tag >> 3);
  field->wire_type = (guint) (tag & 7);
  if (field->number == 0 || tag >> 3 > 536870911)
    {
      _antenna_decode_set_error (error, FORMAT_NAME, field->start,
                                 _("%" PRIu64 " is not a field number"), tag >> 3);
      return READ_ERROR;
    }

  field->value_start = p;
  switch (field->wire_type)
    {
    case WIRE_VARINT:
      if (!read_varint (r->data, &p, end, &field->scalar))
        {
          if (p >= end && at_cut)
            return READ_END;
          _antenna_decode_set_error (error, FORMAT_NAME, field->value_start,
                                     _("field %u: the varint is cut short or longer than 10 bytes"), field->number);
          return READ_ERROR;
        }
      break;

    case WIRE_FIXED64:
    case WIRE_FIXED32:
      {
        guint n = field->wire_type == WIRE_FIXED64 ? 8 : 4;

        if (end - p < n)
          {
            if (at_cut)
              return READ_END;
            _antenna_decode_set_error (error, FORMAT_NAME, field->value_start,
                                       _("field %u: %u bytes of a fixed-size value, but only %zu remain"),
                                       field->number, n, end - p);
            return READ_ERROR;
          }
        field->scalar = read_le (r->data + p, n);
        p += n;
      }
      break;

    case WIRE_LEN:
      {
        guint64 length;

        if (!read_varint (r->data, &p, end, &length))
          {
            if (p >= end && at_cut)
              return READ_END;
            _antenna_decode_set_error (error, FORMAT_NAME, field->value_start,
                                       _("field %u: the length is cut short"), field->number);
            return READ_ERROR;
          }
        if (length > end - p)
          {
            if (at_cut)
              return READ_END;
            _antenna_decode_set_error (error, FORMAT_NAME, field->start,
                                       _("field %u announces %" PRIu64 " bytes, but only %zu remain"),
                                       field->number, length, end - p);
            return READ_ERROR;
          }
        field->value_start = p;
        field->length = (gsize) length;
        p += length;
      }
      break;

    case WIRE_GROUP_START:
    case WIRE_GROUP_END:
      _antenna_decode_set_error (error, FORMAT_NAME, field->start,
                                 _("field %u is a group, which Antenna does not read"), field->number);
      return READ_ERROR;

    default:
      _antenna_decode_set_error (error, FORMAT_NAME, field->start,
                                 _("field %u has wire type %u, which does not exist"),
                                 field->number, field->wire_type);
      return READ_ERROR;
    }

  *pos = p;
  return READ_OK;
}

static const char *
wire_type_name (guint wire_type)
{
  switch (wire_type)
    {
    case WIRE_VARINT:
      return _("a varint");
    case WIRE_FIXED64:
      return _("a 64-bit value");
    case WIRE_FIXED32:
      return _("a 32-bit value");
    case WIRE_LEN:
    default:
      return _("length-delimited bytes");
    }
}

void
_antenna_protobuf_put_varint (GByteArray *out,
                              guint64     v)
{
  do
    {
      guint8 b = v & 0x7f;

      v >>= 7;
      if (v != 0)
        b |= 0x80;
      g_byte_array_append (out, &b, 1);
    }
  while (v != 0);
}

void
_antenna_protobuf_put_tag (GByteArray *out,
                           guint32     number,
                           guint       wire_type)
{
  _antenna_protobuf_put_varint (out, (guint64) number << 3 | wire_type);
}

static gint64
zigzag (guint64 v)
{
  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

static double
as_double (guint64 bits)
{
  double d;

  memcpy (&d, &bits, sizeof d);
  return d;
}

static float
as_float (guint32 bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

/* Entries of a message being built: field → value, a field seen again
 * gathered into a list. */
typedef struct {
  GPtrArray  *keys;     /* of AntennaValue * */
  GPtrArray  *values;   /* of AntennaValue * */
  GHashTable *index;    /* field number → position + 1 */
  GHashTable *lists;    /* field numbers whose value is a list made here */
} Entries;

static void
entries_init (Entries *e)
{
  e->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) antenna_value_unref);
  e->values = g_ptr_array_new_with_free_func ((GDestroyNotify) antenna_value_unref);
  e->index = g_hash_table_new (NULL, NULL);
  e->lists = g_hash_table_new (NULL, NULL);
}

static void
entries_clear (Entries *e)
{
  g_ptr_array_unref (e->keys);
  g_ptr_array_unref (e->values);
  g_hash_table_unref (e->index);
  g_hash_table_unref (e->lists);
}

/* Adds @value under @number: @repeated fields always go into a list; in the
 * wire view (@gather), a second value makes one. */
static void
entries_add (Entries      *e,
             guint32       number,
             AntennaValue *key,
             AntennaValue *value,
             gboolean      repeated,
             gboolean      gather)
{
  guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (e->index, GUINT_TO_POINTER (number)));

  if (pos == 0)
    {
      if (repeated && antenna_value_get_kind (value) != ANTENNA_VALUE_ARRAY)
        {
          AntennaValue *list = antenna_value_new_array ();

          antenna_value_array_append (list, value);
          value = list;
          g_hash_table_add (e->lists, GUINT_TO_POINTER (number));
        }
      else if (repeated)
        {
          g_hash_table_add (e->lists, GUINT_TO_POINTER (number));
        }
      g_ptr_array_add (e->keys, key);
      g_ptr_array_add (e->values, value);
      g_hash_table_insert (e->index, GUINT_TO_POINTER (number), GUINT_TO_POINTER (e->keys->len));
      return;
    }

  antenna_value_unref (key);

  if (repeated || gather)
    {
      AntennaValue *existing = g_ptr_array_index (e->values, pos - 1);

      if (!g_hash_table_contains (e->lists, GUINT_TO_POINTER (number)))
        {
          AntennaValue *list = antenna_value_new_array ();

          antenna_value_array_append (list, antenna_value_ref (existing));
          g_ptr_array_index (e->values, pos - 1) = list;
          antenna_value_unref (existing);
          existing = list;
          g_hash_table_add (e->lists, GUINT_TO_POINTER (number));
        }

      if (antenna_value_get_kind (value) == ANTENNA_VALUE_ARRAY && repeated)
        {
          /* A packed run after others: its items join the list. */
          for (guint i = 0; i < antenna_value_get_n_children (value); i++)
            antenna_value_array_append (existing, antenna_value_ref (antenna_value_get_child (value, i)));
          antenna_value_unref (value);
        }
      else
        {
          antenna_value_array_append (existing, value);
        }
      return;
    }

  /* A singular field seen twice: the last one counts. */
  antenna_value_unref (g_ptr_array_index (e->values, pos - 1));
  g_ptr_array_index (e->values, pos - 1) = value;
}

static AntennaValue *
entries_to_map (Entries  *e,
                gboolean  incomplete)
{
  AntennaValue *map = antenna_value_new_map ();

  for (guint i = 0; i < e->keys->len; i++)
    antenna_value_map_append (map,
                              antenna_value_ref (g_ptr_array_index (e->keys, i)),
                              antenna_value_ref (g_ptr_array_index (e->values, i)));
  antenna_value_set_incomplete (map, incomplete);
  return map;
}

static gboolean
is_printable_text (const guchar *data,
                   gsize         len)
{
  const char *end = (const char *) data + len;

  if (!g_utf8_validate_len ((const char *) data, len, NULL))
    return FALSE;
  for (const char *p = (const char *) data; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || (c >= 0x80 && g_unichar_iscntrl (c)))
        return FALSE;
    }
  return TRUE;
}

/* The wire view */

static AntennaValue *raw_message (PbReader *r, gsize pos, gsize end, guint depth, gboolean strict, GError **error);

static AntennaValue *
raw_scalar (WireField *field)
{
  AntennaValue *value = antenna_value_new_uint (field->scalar);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (field->wire_type)
    {
    case WIRE_VARINT:
      if (field->scalar > G_MAXINT64 || (field->scalar & 1))
        antenna_value_take_annotation (value,
                                       /* Translators: other readings of a protobuf varint */
                                       g_strdup_printf (_("varint · signed %" PRId64 " · zigzag %" PRId64),
                                                        (gint64) field->scalar, zigzag (field->scalar)));
      else
        antenna_value_take_annotation (value,
                                       g_strdup_printf (_("varint · zigzag %" PRId64), zigzag (field->scalar)));
      break;
    case WIRE_FIXED64:
      g_ascii_dtostr (buf, sizeof buf, as_double (field->scalar));
      antenna_value_take_annotation (value,
                                     g_strdup_printf (_("fixed64 · double %s · signed %" PRId64),
                                                      buf, (gint64) field->scalar));
      break;
    case WIRE_FIXED32:
    default:
      g_ascii_dtostr (buf, sizeof buf, as_float ((guint32) field->scalar));
      antenna_value_take_annotation (value,
                                     g_strdup_printf (_("fixed32 · float %s · signed %d"),
                                                      buf, (gint32) (guint32) field->scalar));
      break;
    }
  return value;
}

static AntennaValue *
raw_packed_varints (PbReader *r,
                    gsize     pos,
                    gsize     end)
{
  g_autoptr(AntennaValue) list = antenna_value_new_array ();

  while (pos < end)
    {
      guint64 v;

      if (!read_varint (r->data, &pos, end, &v))
        return NULL;
      antenna_value_array_append (list, antenna_value_new_uint (v));
    }
  antenna_value_set_annotation (list, _("packed varints, or bytes that read as such"));
  return g_steal_pointer (&list);
}

static AntennaValue *
raw_length_delimited (PbReader  *r,
                      WireField *field,
                      guint      depth)
{
  const guchar *bytes = r->data + field->value_start;
  gsize start = field->value_start;
  gsize end = start + field->length;
  AntennaValue *value;

  if (field->length > 0 && is_printable_text (bytes, field->length))
    return antenna_value_new_string ((const char *) bytes, (gssize) field->length);

  if (field->length > 0 && depth + 1 < r->job->limits.max_depth)
    {
      guint nodes = r->job->nodes;

      value = raw_message (r, start, end, depth + 1, FALSE, NULL);
      if (value != NULL)
        return value;
      r->job->nodes = nodes;   /* the try made nothing */
    }

  if (g_utf8_validate_len ((const char *) bytes, field->length, NULL))
    return antenna_value_new_string ((const char *) bytes, (gssize) field->length);

  value = raw_packed_varints (r, start, end);
  if (value != NULL)
    return value;

  return antenna_value_new_bytes_copy (bytes, field->length);
}

/* The fields in [@pos, @end) as a map by number. Not @strict (a nested
 * try): NULL when they do not parse, without an error. */
static AntennaValue *
raw_message (PbReader  *r,
             gsize      pos,
             gsize      end,
             guint      depth,
             gboolean   strict,
             GError   **error)
{
  Entries e;
  AntennaValue *map;

  entries_init (&e);

  while (pos < end && !r->job->stopped)
    {
      WireField field;
      ReadStatus status = read_field (r, &pos, end, &field, strict ? error : NULL);
      AntennaValue *value;

      if (status == READ_END)
        break;
      if (status == READ_ERROR)
        {
          entries_clear (&e);
          return NULL;
        }
      if (!strict && (r->job->nodes >= r->job->limits.max_nodes || g_get_monotonic_time () > r->job->deadline))
        {
          /* A try must not be what stops the whole decode. */
          entries_clear (&e);
          return NULL;
        }
      if (!_antenna_decode_job_take_node (r->job, field.start, r->size))
        break;

      value = field.wire_type == WIRE_LEN ? raw_length_delimited (r, &field, depth) : raw_scalar (&field);
      entries_add (&e, field.number, antenna_value_new_int (field.number), value, FALSE, TRUE);
    }

  map = entries_to_map (&e, r->job->stopped);
  entries_clear (&e);
  return map;
}

/* With a schema */

static guint
expected_wire_type (ProtoType type)
{
  switch (type)
    {
    case PROTO_TYPE_DOUBLE:
    case PROTO_TYPE_FIXED64:
    case PROTO_TYPE_SFIXED64:
      return WIRE_FIXED64;
    case PROTO_TYPE_FLOAT:
    case PROTO_TYPE_FIXED32:
    case PROTO_TYPE_SFIXED32:
      return WIRE_FIXED32;
    case PROTO_TYPE_STRING:
    case PROTO_TYPE_BYTES:
    case PROTO_TYPE_MESSAGE:
      return WIRE_LEN;
    case PROTO_TYPE_INT64:
    case PROTO_TYPE_UINT64:
    case PROTO_TYPE_INT32:
    case PROTO_TYPE_BOOL:
    case PROTO_TYPE_UINT32:
    case PROTO_TYPE_SINT32:
    case PROTO_TYPE_SINT64:
    case PROTO_TYPE_ENUM:
    default:
      return WIRE_VARINT;
    }
}

/* A scalar of @type from its wire value. */
static AntennaValue *
typed_scalar (ProtoField *field,
              guint64     v)
{
  switch (field->type)
    {
    case PROTO_TYPE_DOUBLE:
      return antenna_value_new_double (as_double (v));
    case PROTO_TYPE_FLOAT:
      return antenna_value_new_double (as_float ((guint32) v));
    case PROTO_TYPE_INT64:
    case PROTO_TYPE_SFIXED64:
      return antenna_value_new_int ((gint64) v);
    case PROTO_TYPE_INT32:
      return antenna_value_new_int ((gint32) (guint32) v);
    case PROTO_TYPE_SFIXED32:
      return antenna_value_new_int ((gint32) (guint32) v);
    case PROTO_TYPE_UINT64:
    case PROTO_TYPE_FIXED64:
      return antenna_value_new_uint (v);
    case PROTO_TYPE_UINT32:
    case PROTO_TYPE_FIXED32:
      return antenna_value_new_uint ((guint32) v);
    case PROTO_TYPE_SINT32:
      return antenna_value_new_int ((gint32) zigzag ((guint32) v));
    case PROTO_TYPE_SINT64:
      return antenna_value_new_int (zigzag (v));
    case PROTO_TYPE_BOOL:
      return antenna_value_new_bool (v != 0);
    case PROTO_TYPE_ENUM:
      {
        const char *name = g_hash_table_lookup (field->enumeration->names, GINT_TO_POINTER ((gint32) v));
        AntennaValue *value;

        if (name != NULL)
          return antenna_value_new_string (name, -1);
        value = antenna_value_new_int ((gint32) v);
        /* Translators: an enum's number that the .proto file does not name */
        antenna_value_set_annotation (value, _("not a value of the enum"));
        return value;
      }
    case PROTO_TYPE_STRING:
    case PROTO_TYPE_BYTES:
    case PROTO_TYPE_MESSAGE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_packable (ProtoType type)
{
  return type != PROTO_TYPE_STRING && type != PROTO_TYPE_BYTES && type != PROTO_TYPE_MESSAGE;
}

static AntennaValue *schema_message (PbReader *r, ProtoMessage *message, gsize pos, gsize end, guint depth, GError **error);

/* A packed run of @field's scalars in [@pos, @end). */
static AntennaValue *
schema_packed (PbReader      *r,
               ProtoMessage  *message,
               ProtoField    *field,
               gsize          pos,
               gsize          end,
               GError       **error)
{
  g_autoptr(AntennaValue) list = antenna_value_new_array ();
  guint wire_type = expected_wire_type (field->type);

  while (pos < end && !r->job->stopped)
    {
      guint64 v;
      gsize start = pos;

      if (wire_type == WIRE_VARINT)
        {
          if (!read_varint (r->data, &pos, end, &v))
            {
              _antenna_decode_set_error (error, FORMAT_NAME, start,
                                         _("the packed field “%s” of %s ends inside a varint"),
                                         field->name, message->full_name);
              return NULL;
            }
        }
      else
        {
          guint n = wire_type == WIRE_FIXED64 ? 8 : 4;

          if (end - pos < n)
            {
              _antenna_decode_set_error (error, FORMAT_NAME, start,
                                         _("the packed field “%s” of %s ends inside a value"),
                                         field->name, message->full_name);
              return NULL;
            }
          v = read_le (r->data + pos, n);
          pos += n;
        }
      if (!_antenna_decode_job_take_node (r->job, start, r->size))
        break;
      antenna_value_array_append (list, typed_scalar (field, v));
    }
  antenna_value_set_incomplete (list, r->job->stopped);
  return g_steal_pointer (&list);
}

/* google.protobuf.Timestamp {seconds, nanos} as a timestamp. */
static AntennaValue *
well_known (ProtoMessage *message,
            AntennaValue *map)
{
  if (g_str_equal (message->full_name, "google.protobuf.Timestamp") && !antenna_value_is_incomplete (map))
    {
      AntennaValue *seconds = antenna_value_lookup (map, "seconds");
      AntennaValue *nanos = antenna_value_lookup (map, "nanos");
      gint64 s = seconds != NULL && antenna_value_get_kind (seconds) == ANTENNA_VALUE_INT ? antenna_value_get_int (seconds) : 0;
      gint64 n = nanos != NULL && antenna_value_get_kind (nanos) == ANTENNA_VALUE_INT ? antenna_value_get_int (nanos) : 0;

      if (n >= 0 && n <= 999999999)
        {
          antenna_value_unref (map);
          return antenna_value_new_timestamp (s, (guint32) n);
        }
    }
  return map;
}

static AntennaValue *
default_value (ProtoField *field)
{
  switch (field->type)
    {
    case PROTO_TYPE_STRING:
      return antenna_value_new_string ("", 0);
    case PROTO_TYPE_BYTES:
      return antenna_value_new_bytes_copy ("", 0);
    case PROTO_TYPE_MESSAGE:
      return antenna_value_new_map ();
    case PROTO_TYPE_BOOL:
      return antenna_value_new_bool (FALSE);
    case PROTO_TYPE_DOUBLE:
    case PROTO_TYPE_FLOAT:
      return antenna_value_new_double (0);
    case PROTO_TYPE_ENUM:
      return typed_scalar (field, 0);
    case PROTO_TYPE_INT64:
    case PROTO_TYPE_UINT64:
    case PROTO_TYPE_INT32:
    case PROTO_TYPE_FIXED64:
    case PROTO_TYPE_FIXED32:
    case PROTO_TYPE_UINT32:
    case PROTO_TYPE_SFIXED32:
    case PROTO_TYPE_SFIXED64:
    case PROTO_TYPE_SINT32:
    case PROTO_TYPE_SINT64:
    default:
      return antenna_value_new_int (0);
    }
}

/* One field's value by its schema type. */
static AntennaValue *
schema_field (PbReader      *r,
              ProtoMessage  *message,
              ProtoField    *field,
              WireField     *wire,
              guint          depth,
              GError       **error)
{
  guint expected = expected_wire_type (field->type);

  if (wire->wire_type == WIRE_LEN && field->repeated && is_packable (field->type))
    return schema_packed (r, message, field, wire->value_start, wire->value_start + wire->length, error);

  if (wire->wire_type != expected)
    {
      /* Translators: "the field “temp” (3) of acme.Reading is of type double, but the payload has a varint there" */
      _antenna_decode_set_error (error, FORMAT_NAME, wire->start,
                                 _("the field “%s” (%u) of %s is of type %s, but the payload has %s there"),
                                 field->name, field->number, message->full_name,
                                 _antenna_proto_type_name (field->type), wire_type_name (wire->wire_type));
      return NULL;
    }

  switch (field->type)
    {
    case PROTO_TYPE_STRING:
      return antenna_value_new_text ((const char *) r->data + wire->value_start, wire->length, wire->value_start);
    case PROTO_TYPE_BYTES:
      return antenna_value_new_bytes_copy (r->data + wire->value_start, wire->length);
    case PROTO_TYPE_MESSAGE:
      {
        AntennaValue *value;

        if (depth + 1 >= r->job->limits.max_depth)
          {
            _antenna_decode_job_stop (r->job, ANTENNA_DECODE_STOP_DEPTH, wire->value_start, r->size);
            value = antenna_value_new_map ();
            antenna_value_set_incomplete (value, TRUE);
            return value;
          }
        value = schema_message (r, field->message, wire->value_start, wire->value_start + wire->length,
                                depth + 1, error);
        return value;
      }
    case PROTO_TYPE_DOUBLE:
    case PROTO_TYPE_FLOAT:
    case PROTO_TYPE_INT64:
    case PROTO_TYPE_UINT64:
    case PROTO_TYPE_INT32:
    case PROTO_TYPE_FIXED64:
    case PROTO_TYPE_FIXED32:
    case PROTO_TYPE_BOOL:
    case PROTO_TYPE_UINT32:
    case PROTO_TYPE_SFIXED32:
    case PROTO_TYPE_SFIXED64:
    case PROTO_TYPE_SINT32:
    case PROTO_TYPE_SINT64:
    case PROTO_TYPE_ENUM:
    default:
      return typed_scalar (field, wire->scalar);
    }
}

static AntennaValue *
schema_message (PbReader      *r,
                ProtoMessage  *message,
                gsize          pos,
                gsize          end,
                guint          depth,
                GError       **error)
{
  Entries e;
  AntennaValue *map;

  entries_init (&e);

  while (pos < end && !r->job->stopped)
    {
      WireField wire;
      ReadStatus status = read_field (r, &pos, end, &wire, error);
      ProtoField *field;
      AntennaValue *value;

      if (status == READ_END)
        break;
      if (status == READ_ERROR)
        {
          entries_clear (&e);
          return NULL;
        }
      if (!_antenna_decode_job_take_node (r->job, wire.start, r->size))
        break;

      field = g_hash_table_lookup (message->by_number, GUINT_TO_POINTER (wire.number));
      if (field == NULL)
        {
          /* Unknown to the schema (a newer sender): by number, as the wire
           * view shows it. */
          value = wire.wire_type == WIRE_LEN ? raw_length_delimited (r, &wire, depth) : raw_scalar (&wire);
          if (antenna_value_get_annotation (value) == NULL)
            antenna_value_set_annotation (value, _("a field the schema does not have"));
          entries_add (&e, wire.number, antenna_value_new_int (wire.number), value, FALSE, TRUE);
          continue;
        }

      value = schema_field (r, message, field, &wire, depth, error);
      if (value == NULL)
        {
          entries_clear (&e);
          return NULL;
        }

      if (field->type == PROTO_TYPE_MESSAGE && field->message->map_entry)
        {
          /* map<K, V>: one map for the field, an entry per pair. */
          AntennaValue *key = antenna_value_lookup (value, "key");
          AntennaValue *v = antenna_value_lookup (value, "value");
          guint at = GPOINTER_TO_UINT (g_hash_table_lookup (e.index, GUINT_TO_POINTER (wire.number)));
          AntennaValue *pairs;

          if (at == 0)
            {
              entries_add (&e, wire.number, antenna_value_new_string (field->name, -1),
                           antenna_value_new_map (), FALSE, FALSE);
              at = e.keys->len;
            }
          pairs = g_ptr_array_index (e.values, at - 1);
          antenna_value_map_append (pairs,
                                    key != NULL ? antenna_value_ref (key)
                                                : default_value (g_ptr_array_index (field->message->fields, 0)),
                                    v != NULL ? antenna_value_ref (v)
                                              : default_value (g_ptr_array_index (field->message->fields, 1)));
          antenna_value_unref (value);
          continue;
        }

      entries_add (&e, wire.number, antenna_value_new_string (field->name, -1), value, field->repeated, FALSE);
    }

  map = entries_to_map (&e, r->job->stopped);
  entries_clear (&e);
  return well_known (message, map);
}

AntennaValue *
_antenna_protobuf_decode (AntennaDecodeJob    *job,
                          AntennaProtoSchema  *schema,
                          const char          *message_type,
                          GBytes              *payload,
                          GError             **error)
{
  PbReader r = { job, NULL, 0, 0 };
  ProtoMessage *message = NULL;

  r.data = g_bytes_get_data (payload, &r.size);
  if (r.data == NULL)
    r.data = (const guchar *) "";
  r.len = MIN (r.size, job->limits.max_bytes);
  if (job->cut && r.len == r.size)
    r.size++;

  if (message_type != NULL && message_type[0] != '\0')
    {
      if (schema != NULL)
        message = _antenna_proto_schema_find_message (schema, message_type);
      if (message == NULL)
        {
          g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_NO_MESSAGE,
                       _("The message type “%s” is in none of the connection’s .proto files."),
                       message_type);
          return NULL;
        }
      return schema_message (&r, message, 0, r.len, 0, error);
    }

  return raw_message (&r, 0, r.len, 0, TRUE, error);
}

static AntennaValue *
decode_protobuf (const AntennaDecoder  *self,
                 AntennaDecodeJob      *job,
                 GBytes                *payload,
                 GError               **error)
{
  const char *message_type = job->rule != NULL ? antenna_decoder_rule_get_message_type (job->rule) : "";
  AntennaProtoSchema *schema = NULL;

  if (message_type[0] != '\0')
    {
      if (job->context == NULL)
        {
          g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_NO_MESSAGE,
                       _("The message type “%s” needs the connection’s .proto files."), message_type);
          return NULL;
        }
      schema = antenna_decoder_context_get_schema (job->context, error);
      if (schema == NULL)
        return NULL;
    }

  return _antenna_protobuf_decode (job, schema, message_type, payload, error);
}

const AntennaDecoder _antenna_decoder_protobuf = {
  .id = ANTENNA_DECODER_PROTOBUF,
  .name = N_("Protocol Buffers"),
  .decode = decode_protobuf,
};
