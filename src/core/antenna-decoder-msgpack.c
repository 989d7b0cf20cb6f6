/* antenna-decoder-msgpack.c: MessagePack, with libmsgpack-c
 *
 * msgpack_unpack_next() parses, but it allocates what a length prefix
 * claims before it looks for the bytes (an array32 header of 4 billion
 * items is 96 GB of msgpack_object), has a fixed stack of 32 levels, and
 * says "parse error" without a byte. So a scan of our own walks the headers
 * first, without allocating: it checks every length against the bytes that
 * remain, counts the values and the depth, and finds the exact byte of a
 * malformed or truncated payload. What fits in the budgets and in the
 * library's 32 levels goes to msgpack_unpack_next() whole; where a budget
 * cuts, the containers on the way down are opened here and their children
 * handed to the library one by one, so the tree stops exactly at the limit.
 *
 * Several values one after the other (a stream) decode as a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <msgpack.h>
#include <string.h>

#include "antenna-decoder-private.h"

#define FORMAT_NAME "MessagePack"
/* msgpack-c's parser keeps MSGPACK_EMBED_STACK_SIZE (32) levels; deeper
 * subtrees are walked here. */
#define LIBRARY_MAX_DEPTH 30

typedef enum {
  MP_NIL,
  MP_BOOL,
  MP_INT,
  MP_FLOAT,
  MP_STR,
  MP_BIN,
  MP_EXT,
  MP_ARRAY,
  MP_MAP,
} MpKind;

typedef struct {
  MpKind   kind;
  gsize    header_len;
  guint64  count;      /* bytes of STR, BIN, EXT; items of ARRAY; pairs of MAP */
} MpHead;

typedef enum {
  SCAN_OK,
  SCAN_STOPPED,   /* a budget: *why, *where */
  SCAN_ERROR,
} ScanStatus;

typedef struct {
  AntennaDecodeJob *job;
  const guchar     *data;
  gsize             len;    /* bytes looked at */
  gsize             size;   /* bytes of the payload */
  /* Where and why the last scan stopped (SCAN_STOPPED). */
  AntennaDecodeStop why;
  gsize             where;
} Reader;

static ScanStatus
scan_stopped (Reader            *r,
              AntennaDecodeStop  why,
              gsize              where)
{
  r->why = why;
  r->where = where;
  return SCAN_STOPPED;
}

static guint64
read_be (const guchar *p,
         guint         n)
{
  guint64 v = 0;

  for (guint i = 0; i < n; i++)
    v = v << 8 | p[i];
  return v;
}

/* Reads the header at @pos. FALSE at the end of the bytes looked at (set
 * *@truncated) or on a byte that starts no value (@error). */
static gboolean
read_head (Reader    *r,
           gsize      pos,
           MpHead    *head,
           gboolean  *truncated,
           GError   **error)
{
  const guchar *p = r->data + pos;
  gsize avail = r->len - pos;
  guchar b;
  guint extra = 0;    /* bytes of the length or value after the type byte */

  *truncated = FALSE;
  if (avail == 0)
    {
      *truncated = TRUE;
      return FALSE;
    }

  b = p[0];
  head->count = 0;

  if (b <= 0x7f || b >= 0xe0)
    head->kind = MP_INT;
  else if (b <= 0x8f)
    head->kind = MP_MAP, head->count = b & 0x0f;
  else if (b <= 0x9f)
    head->kind = MP_ARRAY, head->count = b & 0x0f;
  else if (b <= 0xbf)
    head->kind = MP_STR, head->count = b & 0x1f;
  else
    {
      switch (b)
        {
        case 0xc0: head->kind = MP_NIL; break;
        case 0xc2: case 0xc3: head->kind = MP_BOOL; break;
        case 0xc4: head->kind = MP_BIN; extra = 1; break;
        case 0xc5: head->kind = MP_BIN; extra = 2; break;
        case 0xc6: head->kind = MP_BIN; extra = 4; break;
        case 0xc7: head->kind = MP_EXT; extra = 1; break;
        case 0xc8: head->kind = MP_EXT; extra = 2; break;
        case 0xc9: head->kind = MP_EXT; extra = 4; break;
        case 0xca: head->kind = MP_FLOAT; extra = 4; break;
        case 0xcb: head->kind = MP_FLOAT; extra = 8; break;
        case 0xcc: case 0xd0: head->kind = MP_INT; extra = 1; break;
        case 0xcd: case 0xd1: head->kind = MP_INT; extra = 2; break;
        case 0xce: case 0xd2: head->kind = MP_INT; extra = 4; break;
        case 0xcf: case 0xd3: head->kind = MP_INT; extra = 8; break;
        case 0xd4: head->kind = MP_EXT; head->count = 1; break;
        case 0xd5: head->kind = MP_EXT; head->count = 2; break;
        case 0xd6: head->kind = MP_EXT; head->count = 4; break;
        case 0xd7: head->kind = MP_EXT; head->count = 8; break;
        case 0xd8: head->kind = MP_EXT; head->count = 16; break;
        case 0xd9: head->kind = MP_STR; extra = 1; break;
        case 0xda: head->kind = MP_STR; extra = 2; break;
        case 0xdb: head->kind = MP_STR; extra = 4; break;
        case 0xdc: head->kind = MP_ARRAY; extra = 2; break;
        case 0xdd: head->kind = MP_ARRAY; extra = 4; break;
        case 0xde: head->kind = MP_MAP; extra = 2; break;
        case 0xdf: head->kind = MP_MAP; extra = 4; break;
        case 0xc1:
        default:
          _antenna_decode_set_error (error, FORMAT_NAME, pos,
                                     _("0x%02x starts no MessagePack value"), b);
          return FALSE;
        }
    }

  head->header_len = 1 + extra;
  if (head->kind == MP_EXT)
    head->header_len++;   /* the type byte */
  if (head->header_len > avail)
    {
      *truncated = TRUE;
      return FALSE;
    }

  if (head->kind == MP_STR || head->kind == MP_BIN || head->kind == MP_EXT ||
      head->kind == MP_ARRAY || head->kind == MP_MAP)
    {
      if (extra > 0)
        head->count = read_be (p + 1, extra);
    }
  else
    {
      /* Fixed-size values: their bytes are part of the header. */
      head->count = 0;
    }

  return TRUE;
}

static gboolean
is_container (const MpHead *head)
{
  return head->kind == MP_ARRAY || head->kind == MP_MAP;
}

/* Bytes after the header that belong to the value itself. */
static guint64
body_len (const MpHead *head)
{
  return is_container (head) ? 0 : head->count;
}

/* An error, or a stop when the end of what was looked at is not the end
 * of the payload. */
static ScanStatus
truncated_at (Reader  *r,
              gsize    pos,
              gsize    value_pos,
              GError **error)
{
  if (r->len < r->size)
    return scan_stopped (r, ANTENNA_DECODE_STOP_BYTES, r->len);
  _antenna_decode_set_error (error, FORMAT_NAME, value_pos,
                             _("the payload ends inside a value (at byte %zu)"), pos);
  return SCAN_ERROR;
}

/* Walks the value at @pos without making anything: its end, how many
 * values it holds and how deep it goes. Stops (SCAN_STOPPED, with why and
 * where in @r) past @max_nodes values or @max_depth levels or the bytes
 * looked at. */
static ScanStatus
scan (Reader  *r,
      gsize    pos,
      guint    max_depth,
      guint    max_nodes,
      gsize   *end,
      guint   *n_nodes,
      guint   *depth,
      GError **error)
{
  g_autofree guint64 *remaining = g_new (guint64, max_depth + 2);
  guint d = 0;
  guint nodes = 0;

  *depth = 0;
  remaining[0] = 1;

  for (;;)
    {
      MpHead head;
      gboolean truncated;
      gsize value_pos = pos;

      remaining[d]--;

      if (!read_head (r, pos, &head, &truncated, error))
        return truncated ? truncated_at (r, pos, value_pos, error) : SCAN_ERROR;

      if (++nodes > max_nodes)
        return scan_stopped (r, ANTENNA_DECODE_STOP_NODES, value_pos);

      pos += head.header_len;

      if (is_container (&head))
        {
          guint64 items = head.kind == MP_MAP ? head.count * 2 : head.count;

          /* Every item takes at least a byte. */
          if (items > r->len - pos)
            {
              if (r->len < r->size)
                return scan_stopped (r, ANTENNA_DECODE_STOP_BYTES, r->len);
              if (head.kind == MP_MAP)
                _antenna_decode_set_error (error, FORMAT_NAME, value_pos,
                                           _("a map of %" PRIu64 " entries, but only %zu bytes remain"),
                                           head.count, r->len - pos);
              else
                _antenna_decode_set_error (error, FORMAT_NAME, value_pos,
                                           _("a list of %" PRIu64 " items, but only %zu bytes remain"),
                                           head.count, r->len - pos);
              return SCAN_ERROR;
            }

          if (items > 0)
            {
              if (d + 1 > max_depth)
                return scan_stopped (r, ANTENNA_DECODE_STOP_DEPTH, value_pos);
              remaining[++d] = items;
              *depth = MAX (*depth, d);
              continue;
            }
          *depth = MAX (*depth, d + 1);
        }
      else
        {
          guint64 body = body_len (&head);

          if (body > r->len - pos)
            {
              if (r->len < r->size)
                return scan_stopped (r, ANTENNA_DECODE_STOP_BYTES, r->len);
              _antenna_decode_set_error (error, FORMAT_NAME, value_pos,
                                         head.kind == MP_STR ? _("a string of %" PRIu64 " bytes, but only %zu bytes remain")
                                                             : _("binary data of %" PRIu64 " bytes, but only %zu bytes remain"),
                                         body, r->len - pos);
              return SCAN_ERROR;
            }
          pos += body;
        }

      while (remaining[d] == 0)
        {
          if (d == 0)
            {
              *end = pos;
              *n_nodes = nodes;
              return SCAN_OK;
            }
          d--;
        }
    }
}

static AntennaValue *
value_from_ext (Reader       *r,
                gint8         type,
                const guchar *body,
                gsize         size)
{
  AntennaValue *value;

  /* The timestamp extension: 32-bit seconds; 30-bit nanoseconds and 34-bit
   * seconds; 32-bit nanoseconds and 64-bit signed seconds. */
  if (type == -1 && (size == 4 || size == 8 || size == 12))
    {
      gint64 sec;
      guint32 nsec = 0;

      if (size == 4)
        sec = (gint64) read_be (body, 4);
      else if (size == 8)
        {
          guint64 v = read_be (body, 8);

          nsec = (guint32) (v >> 34);
          sec = (gint64) (v & G_GUINT64_CONSTANT (0x3ffffffff));
        }
      else
        {
          nsec = (guint32) read_be (body, 4);
          sec = (gint64) read_be (body + 4, 8);
        }

      if (nsec <= 999999999)
        return antenna_value_new_timestamp (sec, nsec);
    }

  value = antenna_value_new_bytes_copy (body, size);
  /* Translators: a MessagePack extension value, "extension type 5" */
  antenna_value_take_annotation (value, g_strdup_printf (_("extension type %d"), type));
  return value;
}

/* A whole msgpack_object made by the library, into our tree. */
static AntennaValue *
value_from_object (Reader              *r,
                   const msgpack_object *o)
{
  switch (o->type)
    {
    case MSGPACK_OBJECT_NIL:
      return antenna_value_new_null ();
    case MSGPACK_OBJECT_BOOLEAN:
      return antenna_value_new_bool (o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
      return antenna_value_new_uint (o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
      return antenna_value_new_int (o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
      return antenna_value_new_double (o->via.f64);
    case MSGPACK_OBJECT_STR:
      {
        const guchar *p = (const guchar *) o->via.str.ptr;
        gsize offset = p >= r->data && p < r->data + r->len ? (gsize) (p - r->data) : 0;

        return antenna_value_new_text (o->via.str.ptr, o->via.str.size, offset);
      }
    case MSGPACK_OBJECT_BIN:
      return antenna_value_new_bytes_copy (o->via.bin.ptr, o->via.bin.size);
    case MSGPACK_OBJECT_EXT:
      return value_from_ext (r, o->via.ext.type, (const guchar *) o->via.ext.ptr, o->via.ext.size);
    case MSGPACK_OBJECT_ARRAY:
      {
        AntennaValue *array = antenna_value_new_array ();

        for (guint32 i = 0; i < o->via.array.size; i++)
          antenna_value_array_append (array, value_from_object (r, &o->via.array.ptr[i]));
        return array;
      }
    case MSGPACK_OBJECT_MAP:
      {
        AntennaValue *map = antenna_value_new_map ();

        for (guint32 i = 0; i < o->via.map.size; i++)
          antenna_value_map_append (map,
                                    value_from_object (r, &o->via.map.ptr[i].key),
                                    value_from_object (r, &o->via.map.ptr[i].val));
        return map;
      }
    default:
      return antenna_value_new_null ();
    }
}

static AntennaValue *decode_value (Reader *r, gsize pos, guint depth, gsize *end, GError **error);

/* The value at @pos, which a budget cuts: a container opened here, its
 * children decoded one by one until the budget stops them. */
static AntennaValue *
decode_open (Reader  *r,
             gsize    pos,
             guint    depth,
             gsize   *end,
             GError **error)
{
  MpHead head;
  gboolean truncated;
  AntennaValue *container;
  guint64 items;

  if (!read_head (r, pos, &head, &truncated, error) || !is_container (&head) ||
      depth >= r->job->limits.max_depth)
    return NULL;   /* the scan stopped on this very value: nothing to show */

  if (!_antenna_decode_job_take_node (r->job, pos, r->size))
    return NULL;

  container = head.kind == MP_MAP ? antenna_value_new_map () : antenna_value_new_array ();
  items = head.count;
  pos += head.header_len;

  for (guint64 i = 0; i < items && !r->job->stopped; i++)
    {
      g_autoptr(AntennaValue) key = NULL;
      g_autoptr(AntennaValue) v = NULL;

      if (head.kind == MP_MAP)
        {
          key = decode_value (r, pos, depth + 1, &pos, error);
          if (key == NULL)
            break;
        }
      v = decode_value (r, pos, depth + 1, &pos, error);
      if (v == NULL)
        break;

      if (head.kind == MP_MAP)
        antenna_value_map_append (container, g_steal_pointer (&key), g_steal_pointer (&v));
      else
        antenna_value_array_append (container, g_steal_pointer (&v));
    }

  if (error != NULL && *error != NULL)
    {
      antenna_value_unref (container);
      return NULL;
    }

  antenna_value_set_incomplete (container, r->job->stopped);
  *end = pos;
  return container;
}

/* The value at @pos: the library's when the scan finds it whole within the
 * budgets, else opened here. NULL with @error on a malformed payload, NULL
 * without when a budget stopped before the value. */
static AntennaValue *
decode_value (Reader  *r,
              gsize    pos,
              guint    depth,
              gsize   *end,
              GError **error)
{
  AntennaDecodeJob *job = r->job;
  guint max_nodes = job->limits.max_nodes > job->nodes ? job->limits.max_nodes - job->nodes : 0;
  guint n_nodes = 0;
  guint sub_depth = 0;
  gsize value_end = pos;
  ScanStatus status;
  msgpack_unpacked unpacked;
  size_t off = pos;
  AntennaValue *value;

  if (job->stopped)
    return NULL;

  /* Every few thousand values, the clock. */
  if (g_get_monotonic_time () > job->deadline)
    {
      _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_TIME, pos, r->size);
      return NULL;
    }

  status = scan (r, pos, job->limits.max_depth - depth, max_nodes, &value_end, &n_nodes,
                 &sub_depth, error);
  if (status == SCAN_STOPPED)
    {
      /* A budget runs out inside this value: open it and stop inside, or,
       * when the stop is on the value itself, stop before it. */
      AntennaDecodeStop why = r->why;
      gsize where = r->where;
      AntennaValue *opened = decode_open (r, pos, depth, end, error);

      if (opened == NULL && (error == NULL || *error == NULL))
        _antenna_decode_job_stop (job, why, where, r->size);
      return opened;
    }
  if (status == SCAN_ERROR)
    return NULL;

  if (sub_depth > LIBRARY_MAX_DEPTH)
    return decode_open (r, pos, depth, end, error);

  msgpack_unpacked_init (&unpacked);
  if (msgpack_unpack_next (&unpacked, (const char *) r->data, value_end, &off) != MSGPACK_UNPACK_SUCCESS ||
      off != value_end)
    {
      msgpack_unpacked_destroy (&unpacked);
      _antenna_decode_set_error (error, FORMAT_NAME, pos, _("the value does not parse"));
      return NULL;
    }

  value = value_from_object (r, &unpacked.data);
  msgpack_unpacked_destroy (&unpacked);
  job->nodes += n_nodes;
  *end = value_end;
  return value;
}

static AntennaValue *
decode_msgpack (const AntennaDecoder  *self,
                AntennaDecodeJob      *job,
                GBytes                *payload,
                GError               **error)
{
  Reader r = { job, NULL, 0, 0, 0, 0 };
  g_autoptr(AntennaValue) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize pos = 0;

  r.data = g_bytes_get_data (payload, &r.size);
  if (r.data == NULL)
    r.data = (const guchar *) "";
  r.len = MIN (r.size, job->limits.max_bytes);
  if (job->cut && r.len == r.size)
    r.size++;   /* more bytes follow that were not decompressed */

  if (r.size == 0)
    {
      _antenna_decode_set_error (error, FORMAT_NAME, 0, _("the payload is empty"));
      return NULL;
    }

  while (pos < r.len && !job->stopped)
    {
      gsize end = pos;
      AntennaValue *value = decode_value (&r, pos, stream != NULL ? 1 : 0, &end, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (value == NULL)
        break;

      /* One value (the usual case), or the first, cut by a budget. */
      if (pos == 0 && stream == NULL && (job->stopped || (end >= r.len && r.len == r.size)))
        return value;

      if (stream == NULL)
        {
          stream = antenna_value_new_array ();
          antenna_value_set_annotation (stream, _("several MessagePack values, one after the other"));
        }
      antenna_value_array_append (stream, value);
      pos = end;
    }

  if (stream == NULL)
    {
      /* Stopped before the first value was whole or opened. */
      stream = antenna_value_new_array ();
      antenna_value_set_annotation (stream, _("several MessagePack values, one after the other"));
    }
  if (job->stopped)
    antenna_value_set_incomplete (stream, TRUE);
  return g_steal_pointer (&stream);
}

/* JSON → MessagePack */

static void put_map (gpointer pk, guint n) { msgpack_pack_map (pk, n); }
static void put_array (gpointer pk, guint n) { msgpack_pack_array (pk, n); }
static void put_integer (gpointer pk, gint64 v) { msgpack_pack_int64 (pk, v); }
static void put_number (gpointer pk, double v) { msgpack_pack_double (pk, v); }
static void put_null (gpointer pk) { msgpack_pack_nil (pk); }

static void
put_string (gpointer    pk,
            const char *str,
            gsize       length)
{
  msgpack_pack_str (pk, length);
  msgpack_pack_str_body (pk, str, length);
}

static void
put_boolean (gpointer pk,
             gboolean v)
{
  if (v)
    msgpack_pack_true (pk);
  else
    msgpack_pack_false (pk);
}

static const AntennaJsonWriter writer = {
  put_map, put_array, put_string, put_integer, put_number, put_boolean, put_null,
};

static GBytes *
encode_msgpack (JsonNode  *root,
                GError   **error)
{
  msgpack_sbuffer buffer;
  msgpack_packer pk;
  GBytes *bytes;

  msgpack_sbuffer_init (&buffer);
  msgpack_packer_init (&pk, &buffer, msgpack_sbuffer_write);
  _antenna_json_write (root, &writer, &pk);
  bytes = g_bytes_new (buffer.data, buffer.size);
  msgpack_sbuffer_destroy (&buffer);
  return bytes;
}

const AntennaDecoder _antenna_decoder_msgpack = {
  .id = ANTENNA_DECODER_MSGPACK,
  .name = N_("MessagePack"),
  .decode = decode_msgpack,
  .encode_json = encode_msgpack,
};
