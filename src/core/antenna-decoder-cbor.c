/* antenna-decoder-cbor.c: CBOR, with libcbor's streaming decoder
 *
 * cbor_load() builds libcbor's own tree and allocates what a length prefix
 * claims; its streaming decoder, cbor_stream_decode(), reads one item head
 * at a time and calls back, so the tree here is built directly, with the
 * budgets checked at every item and a definite string read only once all
 * its bytes are there. Tags: 0 (RFC 3339 text) and 1 (epoch seconds) make
 * timestamps, 2 and 3 bignums (as integers when they fit in 64 bits),
 * others are kept as an annotation on the value. Several items one after
 * the other (a CBOR sequence, RFC 8742) decode as a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <cbor.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "antenna-decoder-private.h"

#define FORMAT_NAME "CBOR"
#define INDEFINITE G_MAXUINT64

typedef struct {
  AntennaValue *value;       /* ARRAY or MAP; NULL for an indefinite string */
  GByteArray   *chunks;      /* an indefinite string's bytes */
  gboolean      text;        /* the indefinite string is text */
  guint64       remaining;   /* items (a map's: keys and values), or INDEFINITE */
  AntennaValue *key;         /* a map's key that waits for its value */
  GArray       *tags;        /* of guint64: the container's own tags */
  gsize         start;
} Frame;

typedef struct {
  AntennaDecodeJob *job;
  const guchar     *data;
  gsize             len;
  gsize             size;
  gsize             pos;          /* the item being read */
  GArray           *frames;       /* of Frame */
  GArray           *tags;         /* of guint64: tags for the next item */
  AntennaValue     *root;
  GError           *error;
} Builder;

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->value, antenna_value_unref);
  g_clear_pointer (&frame->chunks, g_byte_array_unref);
  g_clear_pointer (&frame->key, antenna_value_unref);
  g_clear_pointer (&frame->tags, g_array_unref);
}

static Frame *
top (Builder *b)
{
  return b->frames->len > 0 ? &g_array_index (b->frames, Frame, b->frames->len - 1) : NULL;
}

static void
fail (Builder    *b,
      const char *reason)
{
  if (b->error == NULL)
    _antenna_decode_set_error (&b->error, FORMAT_NAME, b->pos, "%s", reason);
}

/* The meaning of a tag, applied to its item. */
static AntennaValue *
apply_tag (AntennaValue *value,
           guint64       tag)
{
  AntennaValueKind kind = antenna_value_get_kind (value);

  if (tag == 0 && kind == ANTENNA_VALUE_STRING)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (antenna_value_get_string (value, NULL), NULL);

      if (dt != NULL)
        {
          AntennaValue *ts = antenna_value_new_timestamp (g_date_time_to_unix (dt),
                                                          (guint32) g_date_time_get_microsecond (dt) * 1000);
          antenna_value_unref (value);
          return ts;
        }
      antenna_value_set_annotation (value, _("tag 0, but not a valid date"));
      return value;
    }

  if (tag == 1 && (kind == ANTENNA_VALUE_INT || kind == ANTENNA_VALUE_UINT || kind == ANTENNA_VALUE_DOUBLE))
    {
      double d = antenna_value_get_double (value);

      if (isfinite (d) && fabs (d) < 253402300800.0)
        {
          double sec = floor (d);
          AntennaValue *ts = antenna_value_new_timestamp ((gint64) sec,
                                                          (guint32) MIN (999999999.0, round ((d - sec) * 1e9)));
          if (kind == ANTENNA_VALUE_INT)
            {
              antenna_value_unref (ts);
              ts = antenna_value_new_timestamp (antenna_value_get_int (value), 0);
            }
          antenna_value_unref (value);
          return ts;
        }
    }

  if ((tag == 2 || tag == 3) && kind == ANTENNA_VALUE_BYTES)
    {
      gsize n;
      const guchar *p = g_bytes_get_data (antenna_value_get_bytes (value), &n);
      guint64 v = 0;
      gsize first = 0;

      while (first < n && p[first] == 0)
        first++;
      if (n - first <= 8)
        {
          for (gsize i = first; i < n; i++)
            v = v << 8 | p[i];
          if (tag == 2 || v <= G_MAXINT64)
            {
              AntennaValue *number = tag == 2 ? antenna_value_new_uint (v)
                                              : antenna_value_new_int (-1 - (gint64) v);
              antenna_value_unref (value);
              return number;
            }
        }
      antenna_value_set_annotation (value, tag == 2 ? _("positive bignum") : _("negative bignum"));
      return value;
    }

  /* Translators: a CBOR tag on a value, "tag 42" */
  antenna_value_take_annotation (value, g_strdup_printf (_("tag %" PRIu64), tag));
  return value;
}

static AntennaValue *
apply_tags (AntennaValue *value,
            GArray       *tags)
{
  /* The innermost (last read) first. */
  for (guint i = tags->len; i > 0; i--)
    value = apply_tag (value, g_array_index (tags, guint64, i - 1));
  g_array_set_size (tags, 0);
  return value;
}

static void close_frame (Builder *b);

/* A finished item goes into its container, or becomes the root. */
static void
emit (Builder      *b,
      AntennaValue *value)
{
  Frame *frame = top (b);

  if (frame == NULL)
    {
      g_clear_pointer (&b->root, antenna_value_unref);
      b->root = value;
      return;
    }

  if (frame->value == NULL)
    {
      /* A chunk of an indefinite string must be a definite string of the
       * same kind: the callbacks checked it. */
      antenna_value_unref (value);
      return;
    }

  if (antenna_value_get_kind (frame->value) == ANTENNA_VALUE_MAP)
    {
      if (frame->key == NULL)
        frame->key = value;
      else
        antenna_value_map_append (frame->value, g_steal_pointer (&frame->key), value);
    }
  else
    {
      antenna_value_array_append (frame->value, value);
    }

  if (frame->remaining != INDEFINITE && --frame->remaining == 0)
    close_frame (b);
}

static void
close_frame (Builder *b)
{
  Frame frame = *top (b);
  AntennaValue *value;

  g_array_set_size (b->frames, b->frames->len - 1);

  if (frame.value == NULL)
    {
      value = frame.text ? antenna_value_new_text ((const char *) frame.chunks->data, frame.chunks->len, frame.start)
                         : antenna_value_new_bytes_copy (frame.chunks->data, frame.chunks->len);
    }
  else
    {
      value = g_steal_pointer (&frame.value);
      if (frame.key != NULL)
        {
          /* An indefinite map closed after a key (checked by the break). */
          antenna_value_set_incomplete (value, TRUE);
        }
    }

  value = apply_tags (value, frame.tags);
  frame_clear (&frame);
  emit (b, value);
}

static gboolean in_indefinite_string (Builder *b);

/* A scalar item was read. */
static void
item (Builder      *b,
      AntennaValue *value)
{
  if (b->error != NULL || b->job->stopped || in_indefinite_string (b))
    {
      if (in_indefinite_string (b))
        fail (b, _("an indefinite-length string holds something else than strings"));
      antenna_value_unref (value);
      return;
    }
  if (!_antenna_decode_job_take_node (b->job, b->pos, b->size))
    {
      antenna_value_unref (value);
      return;
    }
  emit (b, apply_tags (value, b->tags));
}

static gboolean
in_indefinite_string (Builder *b)
{
  Frame *frame = top (b);

  return frame != NULL && frame->value == NULL;
}

static void
start_container (Builder      *b,
                 AntennaValue *container,
                 guint64       items)
{
  Frame frame = { 0 };

  if (b->error != NULL || b->job->stopped || in_indefinite_string (b))
    {
      if (in_indefinite_string (b))
        fail (b, _("an indefinite-length string holds something else than strings"));
      antenna_value_unref (container);
      return;
    }
  if (!_antenna_decode_job_take_node (b->job, b->pos, b->size))
    {
      antenna_value_unref (container);
      return;
    }

  if (items == 0)
    {
      emit (b, apply_tags (container, b->tags));
      return;
    }

  if (b->frames->len + 1 > b->job->limits.max_depth)
    {
      antenna_value_unref (container);
      _antenna_decode_job_stop (b->job, ANTENNA_DECODE_STOP_DEPTH, b->pos, b->size);
      return;
    }

  /* Every item takes at least a byte: a claim beyond the payload is
   * refused before anything is made for it. */
  if (items != INDEFINITE && items > b->len - b->pos)
    {
      antenna_value_unref (container);
      if (b->len < b->size)
        {
          _antenna_decode_job_stop (b->job, ANTENNA_DECODE_STOP_BYTES, b->len, b->size);
          return;
        }
      if (b->error == NULL)
        _antenna_decode_set_error (&b->error, FORMAT_NAME, b->pos,
                                   _("%" PRIu64 " items announced, but only %zu bytes remain"),
                                   items, b->len - b->pos);
      return;
    }

  frame.value = container;
  frame.remaining = items;
  frame.start = b->pos;
  frame.tags = b->tags;
  b->tags = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_array_append_val (b->frames, frame);
}

static void
start_string (Builder  *b,
              gboolean  text)
{
  Frame frame = { 0 };

  if (b->error != NULL || b->job->stopped)
    return;
  if (in_indefinite_string (b))
    {
      fail (b, _("an indefinite-length string inside another"));
      return;
    }
  if (!_antenna_decode_job_take_node (b->job, b->pos, b->size))
    return;

  frame.chunks = g_byte_array_new ();
  frame.text = text;
  frame.remaining = INDEFINITE;
  frame.start = b->pos;
  frame.tags = b->tags;
  b->tags = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_array_append_val (b->frames, frame);
}

static void
string_chunk (Builder      *b,
              gboolean      text,
              cbor_data     data,
              size_t        length)
{
  Frame *frame = top (b);

  if (b->error != NULL || b->job->stopped)
    return;

  if (frame != NULL && frame->value == NULL)
    {
      if (frame->text != text)
        {
          fail (b, _("an indefinite-length string holds a chunk of another kind"));
          return;
        }
      g_byte_array_append (frame->chunks, data, length);
      return;
    }

  if (text)
    item (b, antenna_value_new_text ((const char *) data, length, (gsize) (data - b->data)));
  else
    item (b, antenna_value_new_bytes_copy (data, length));
}

/* libcbor's callbacks */

#define BUILDER(context) ((Builder *) (context))

static void on_uint8 (void *c, uint8_t v) { item (BUILDER (c), antenna_value_new_uint (v)); }
static void on_uint16 (void *c, uint16_t v) { item (BUILDER (c), antenna_value_new_uint (v)); }
static void on_uint32 (void *c, uint32_t v) { item (BUILDER (c), antenna_value_new_uint (v)); }
static void on_uint64 (void *c, uint64_t v) { item (BUILDER (c), antenna_value_new_uint (v)); }

static void
on_negint (Builder *b,
           guint64  v)
{
  AntennaValue *value;

  /* -1 - v; below G_MININT64 it does not fit: shown as a double, annotated. */
  if (v <= G_MAXINT64)
    value = antenna_value_new_int (-1 - (gint64) v);
  else
    {
      value = antenna_value_new_double (-1.0 - (double) v);
      antenna_value_set_annotation (value, _("integer below −2⁶³, rounded"));
    }
  item (b, value);
}

static void on_negint8 (void *c, uint8_t v) { on_negint (BUILDER (c), v); }
static void on_negint16 (void *c, uint16_t v) { on_negint (BUILDER (c), v); }
static void on_negint32 (void *c, uint32_t v) { on_negint (BUILDER (c), v); }
static void on_negint64 (void *c, uint64_t v) { on_negint (BUILDER (c), v); }

static void on_bytes (void *c, cbor_data d, size_t n) { string_chunk (BUILDER (c), FALSE, d, n); }
static void on_bytes_start (void *c) { start_string (BUILDER (c), FALSE); }
static void on_string (void *c, cbor_data d, size_t n) { string_chunk (BUILDER (c), TRUE, d, n); }
static void on_string_start (void *c) { start_string (BUILDER (c), TRUE); }

static void on_array (void *c, size_t n) { start_container (BUILDER (c), antenna_value_new_array (), n); }
static void on_indef_array (void *c) { start_container (BUILDER (c), antenna_value_new_array (), INDEFINITE); }

static void
on_map (void   *c,
        size_t  n)
{
  /* Pairs: twice as many items, without overflow. */
  guint64 items = (guint64) n > G_MAXUINT64 / 2 - 1 ? G_MAXUINT64 - 1 : (guint64) n * 2;

  start_container (BUILDER (c), antenna_value_new_map (), items);
}

static void on_indef_map (void *c) { start_container (BUILDER (c), antenna_value_new_map (), INDEFINITE); }

static void
on_tag (void     *c,
        uint64_t  tag)
{
  Builder *b = BUILDER (c);

  if (in_indefinite_string (b))
    {
      fail (b, _("a tag inside an indefinite-length string"));
      return;
    }
  /* Tags on tags on tags: each is a value of the budget. */
  if (!_antenna_decode_job_take_node (b->job, b->pos, b->size))
    return;
  g_array_append_val (b->tags, tag);
}

static void on_float (void *c, float v) { item (BUILDER (c), antenna_value_new_double (v)); }
static void on_double (void *c, double v) { item (BUILDER (c), antenna_value_new_double (v)); }
static void on_null (void *c) { item (BUILDER (c), antenna_value_new_null ()); }
static void on_bool (void *c, bool v) { item (BUILDER (c), antenna_value_new_bool (v)); }

static void
on_undefined (void *c)
{
  AntennaValue *value = antenna_value_new_null ();

  antenna_value_set_annotation (value, _("undefined"));
  item (BUILDER (c), value);
}

static void
on_break (void *c)
{
  Builder *b = BUILDER (c);
  Frame *frame = top (b);

  if (b->error != NULL || b->job->stopped)
    return;
  if (frame == NULL || frame->remaining != INDEFINITE)
    {
      fail (b, _("a “break” outside an indefinite-length item"));
      return;
    }
  if (b->tags->len > 0)
    {
      fail (b, _("a tag without a value before a “break”"));
      return;
    }
  if (frame->key != NULL)
    {
      fail (b, _("a map key without a value"));
      return;
    }
  close_frame (b);
}

static const struct cbor_callbacks callbacks = {
  .uint8 = on_uint8,
  .uint16 = on_uint16,
  .uint32 = on_uint32,
  .uint64 = on_uint64,
  .negint8 = on_negint8,
  .negint16 = on_negint16,
  .negint32 = on_negint32,
  .negint64 = on_negint64,
  /* libcbor 0.8 names these the other way round in its comments. */
  .byte_string = on_bytes,
  .byte_string_start = on_bytes_start,
  .string = on_string,
  .string_start = on_string_start,
  .array_start = on_array,
  .indef_array_start = on_indef_array,
  .map_start = on_map,
  .indef_map_start = on_indef_map,
  .tag = on_tag,
  .float2 = on_float,
  .float4 = on_float,
  .float8 = on_double,
  .undefined = on_undefined,
  .null = on_null,
  .boolean = on_bool,
  .indef_break = on_break,
};

/* What is open when decoding stops: closed, marked incomplete. */
static void
unwind (Builder *b)
{
  while (b->frames->len > 0)
    {
      Frame *frame = top (b);

      if (frame->value != NULL)
        antenna_value_set_incomplete (frame->value, TRUE);
      g_clear_pointer (&frame->key, antenna_value_unref);
      /* A definite container must not close itself again in emit(). */
      frame->remaining = INDEFINITE;
      close_frame (b);
    }
}

static AntennaValue *
decode_cbor (const AntennaDecoder  *self,
             AntennaDecodeJob      *job,
             GBytes                *payload,
             GError               **error)
{
  Builder b = { 0 };
  g_autoptr(AntennaValue) sequence = NULL;
  AntennaValue *result = NULL;

  b.job = job;
  b.data = g_bytes_get_data (payload, &b.size);
  if (b.data == NULL)
    b.data = (const guchar *) "";
  b.len = MIN (b.size, job->limits.max_bytes);
  if (job->cut && b.len == b.size)
    b.size++;   /* more bytes follow that were not decompressed */
  b.frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  b.tags = g_array_new (FALSE, FALSE, sizeof (guint64));

  if (b.size == 0)
    {
      _antenna_decode_set_error (&b.error, FORMAT_NAME, 0, _("the payload is empty"));
      goto out;
    }

  while (b.pos < b.len && b.error == NULL && !job->stopped)
    {
      struct cbor_decoder_result res = cbor_stream_decode (b.data + b.pos, b.len - b.pos, &callbacks, &b);

      if (res.status == CBOR_DECODER_ERROR)
        {
          fail (&b, _("not a valid CBOR item"));
          break;
        }
      if (res.status == CBOR_DECODER_NEDATA)
        {
          if (b.len < b.size)
            _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_BYTES, b.len, b.size);
          else
            fail (&b, _("the payload ends inside an item"));
          break;
        }
      if (b.error != NULL)
        break;
      b.pos += res.read;

      /* A whole top-level item. */
      if (b.frames->len == 0 && b.tags->len == 0 && b.root != NULL)
        {
          if (b.pos >= b.len && sequence == NULL && b.len == b.size)
            {
              result = g_steal_pointer (&b.root);
              goto out;
            }
          if (sequence == NULL)
            {
              sequence = antenna_value_new_array ();
              antenna_value_set_annotation (sequence, _("several CBOR items, one after the other"));
            }
          antenna_value_array_append (sequence, g_steal_pointer (&b.root));
        }
    }

  if (b.error == NULL && !job->stopped && (b.frames->len > 0 || b.tags->len > 0))
    {
      /* The bytes ended with containers open. */
      if (b.len < b.size)
        _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_BYTES, b.len, b.size);
      else
        fail (&b, _("the payload ends inside an item"));
    }

  if (b.error == NULL)
    {
      unwind (&b);
      if (sequence == NULL && b.root != NULL)
        {
          result = g_steal_pointer (&b.root);
        }
      else
        {
          if (sequence == NULL)
            {
              sequence = antenna_value_new_array ();
              antenna_value_set_annotation (sequence, _("several CBOR items, one after the other"));
            }
          if (b.root != NULL)
            antenna_value_array_append (sequence, g_steal_pointer (&b.root));
          antenna_value_set_incomplete (sequence, job->stopped);
          result = g_steal_pointer (&sequence);
        }
    }

out:
  if (b.error != NULL)
    {
      g_propagate_error (error, b.error);
      g_clear_pointer (&result, antenna_value_unref);
    }
  for (guint i = 0; i < b.frames->len; i++)
    frame_clear (&g_array_index (b.frames, Frame, i));
  g_array_unref (b.frames);
  g_array_unref (b.tags);
  g_clear_pointer (&b.root, antenna_value_unref);
  return result;
}

/* JSON → CBOR: each value's head at its shortest, as cbor_encode_*() write it. */

#define PUT(out, call) G_STMT_START { \
    unsigned char buf[9]; \
    g_byte_array_append ((out), buf, (call)); \
  } G_STMT_END

static void put_map (gpointer out, guint n) { PUT (out, cbor_encode_map_start (n, buf, sizeof buf)); }
static void put_array (gpointer out, guint n) { PUT (out, cbor_encode_array_start (n, buf, sizeof buf)); }
static void put_number (gpointer out, double v) { PUT (out, cbor_encode_double (v, buf, sizeof buf)); }
static void put_boolean (gpointer out, gboolean v) { PUT (out, cbor_encode_bool (v, buf, sizeof buf)); }
static void put_null (gpointer out) { PUT (out, cbor_encode_null (buf, sizeof buf)); }

static void
put_string (gpointer    out,
            const char *str,
            gsize       length)
{
  PUT (out, cbor_encode_string_start (length, buf, sizeof buf));
  g_byte_array_append (out, (const guint8 *) str, length);
}

static void
put_integer (gpointer out,
             gint64   v)
{
  if (v >= 0)
    PUT (out, cbor_encode_uint ((guint64) v, buf, sizeof buf));
  else
    PUT (out, cbor_encode_negint ((guint64) (-(v + 1)), buf, sizeof buf));
}

static const AntennaJsonWriter writer = {
  put_map, put_array, put_string, put_integer, put_number, put_boolean, put_null,
};

static GBytes *
encode_cbor (JsonNode  *root,
             GError   **error)
{
  GByteArray *out = g_byte_array_new ();

  _antenna_json_write (root, &writer, out);
  return g_byte_array_free_to_bytes (out);
}

const AntennaDecoder _antenna_decoder_cbor = {
  .id = ANTENNA_DECODER_CBOR,
  .name = N_("CBOR"),
  .decode = decode_cbor,
  .encode_json = encode_cbor,
};
