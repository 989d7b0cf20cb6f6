/* antenna-value.c: a decoded payload, as a small tagged tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-value"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "antenna-value.h"

struct _AntennaValue
{
  gatomicrefcount   ref_count;
  AntennaValueKind  kind;
  guint             incomplete : 1;
  char             *annotation;
  union {
    gboolean  b;
    gint64    i;
    guint64   u;
    double    d;
    struct {
      char   *str;
      gsize   len;
    } s;
    GBytes   *bytes;
    struct {
      gint64  sec;
      guint32 nsec;
    } ts;
    GPtrArray *items;   /* arrays: the items; maps: key, value, key, value… */
  };
};

G_DEFINE_BOXED_TYPE (AntennaValue, antenna_value, antenna_value_ref, antenna_value_unref)

static const char hex_digits[] = "0123456789abcdef";

/* The most of a map or list used as a map key that JSON text writes. */
#define KEY_LIMIT 256

static AntennaValue *
value_new (AntennaValueKind kind)
{
  AntennaValue *value = g_new0 (AntennaValue, 1);

  g_atomic_ref_count_init (&value->ref_count);
  value->kind = kind;
  return value;
}

AntennaValue *
antenna_value_ref (AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  g_atomic_ref_count_inc (&value->ref_count);
  return value;
}

void
antenna_value_unref (AntennaValue *value)
{
  g_return_if_fail (value != NULL);

  if (!g_atomic_ref_count_dec (&value->ref_count))
    return;

  switch (value->kind)
    {
    case ANTENNA_VALUE_STRING:
      g_free (value->s.str);
      break;
    case ANTENNA_VALUE_BYTES:
      g_bytes_unref (value->bytes);
      break;
    case ANTENNA_VALUE_ARRAY:
    case ANTENNA_VALUE_MAP:
      g_ptr_array_unref (value->items);
      break;
    case ANTENNA_VALUE_NULL:
    case ANTENNA_VALUE_BOOL:
    case ANTENNA_VALUE_INT:
    case ANTENNA_VALUE_UINT:
    case ANTENNA_VALUE_DOUBLE:
    case ANTENNA_VALUE_TIMESTAMP:
    default:
      break;
    }
  g_free (value->annotation);
  g_free (value);
}

AntennaValue *
antenna_value_new_null (void)
{
  return value_new (ANTENNA_VALUE_NULL);
}

AntennaValue *
antenna_value_new_bool (gboolean v)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_BOOL);

  value->b = !!v;
  return value;
}

AntennaValue *
antenna_value_new_int (gint64 v)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_INT);

  value->i = v;
  return value;
}

AntennaValue *
antenna_value_new_uint (guint64 v)
{
  AntennaValue *value;

  if (v <= G_MAXINT64)
    return antenna_value_new_int ((gint64) v);

  value = value_new (ANTENNA_VALUE_UINT);
  value->u = v;
  return value;
}

AntennaValue *
antenna_value_new_double (double v)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_DOUBLE);

  value->d = v;
  return value;
}

AntennaValue *
antenna_value_new_string (const char *str,
                          gssize      length)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_STRING);
  gsize len = length < 0 ? strlen (str) : (gsize) length;

  value->s.str = g_strndup (str != NULL ? str : "", len);
  /* g_strndup() stops at a NUL: keep the bytes after it. */
  if (str != NULL)
    memcpy (value->s.str, str, len);
  value->s.len = len;
  return value;
}

AntennaValue *
antenna_value_new_text (const char *data,
                        gsize       length,
                        gsize       offset)
{
  const char *bad = NULL;
  AntennaValue *value;

  if (g_utf8_validate_len (data, length, &bad))
    return antenna_value_new_string (data, (gssize) length);

  /* g_utf8_validate_len() stops at NUL, which is valid in a string: only
   * a truly bad sequence makes the value a repaired one. */
  {
    gsize pos = 0;

    while (pos < length)
      {
        const char *end = NULL;

        if (g_utf8_validate_len (data + pos, length - pos, &end))
          return antenna_value_new_string (data, (gssize) length);
        if (*end != '\0')
          {
            bad = end;
            break;
          }
        pos = (gsize) (end - data) + 1;
      }
  }

  {
    /* g_utf8_make_valid() stops at NUL too: repair piece by piece. */
    GString *out = g_string_sized_new (length + 8);
    gsize pos = 0;

    while (pos < length)
      {
        const char *nul = memchr (data + pos, '\0', length - pos);
        gsize piece = nul != NULL ? (gsize) (nul - data) - pos : length - pos;
        g_autofree char *valid = g_utf8_make_valid (data + pos, (gssize) piece);

        g_string_append (out, valid);
        pos += piece;
        if (nul != NULL)
          {
            g_string_append_len (out, "", 1);
            pos++;
          }
      }

    value = value_new (ANTENNA_VALUE_STRING);
    value->s.len = out->len;
    value->s.str = g_string_free (out, FALSE);
  }

  antenna_value_take_annotation (value,
                                 /* Translators: a string field whose bytes are not all text */
                                 g_strdup_printf (_("not valid UTF-8 at byte %zu"),
                                                  offset + (gsize) (bad - data)));
  return value;
}

AntennaValue *
antenna_value_new_bytes (GBytes *bytes)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_BYTES);

  value->bytes = g_bytes_ref (bytes);
  return value;
}

AntennaValue *
antenna_value_new_bytes_copy (gconstpointer data,
                              gsize         length)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_BYTES);

  value->bytes = g_bytes_new (data, length);
  return value;
}

AntennaValue *
antenna_value_new_timestamp (gint64  seconds,
                             guint32 nanoseconds)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_TIMESTAMP);

  value->ts.sec = seconds;
  value->ts.nsec = MIN (nanoseconds, 999999999);
  return value;
}

AntennaValue *
antenna_value_new_array (void)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_ARRAY);

  value->items = g_ptr_array_new_with_free_func ((GDestroyNotify) antenna_value_unref);
  return value;
}

AntennaValue *
antenna_value_new_map (void)
{
  AntennaValue *value = value_new (ANTENNA_VALUE_MAP);

  value->items = g_ptr_array_new_with_free_func ((GDestroyNotify) antenna_value_unref);
  return value;
}

void
antenna_value_array_append (AntennaValue *array,
                            AntennaValue *item)
{
  g_return_if_fail (array != NULL && array->kind == ANTENNA_VALUE_ARRAY);
  g_return_if_fail (item != NULL);

  g_ptr_array_add (array->items, item);
}

void
antenna_value_map_append (AntennaValue *map,
                          AntennaValue *key,
                          AntennaValue *v)
{
  g_return_if_fail (map != NULL && map->kind == ANTENNA_VALUE_MAP);
  g_return_if_fail (key != NULL && v != NULL);

  g_ptr_array_add (map->items, key);
  g_ptr_array_add (map->items, v);
}

void
antenna_value_map_insert (AntennaValue *map,
                          const char   *key,
                          AntennaValue *v)
{
  antenna_value_map_append (map, antenna_value_new_string (key, -1), v);
}

void
antenna_value_set_annotation (AntennaValue *value,
                              const char   *annotation)
{
  g_return_if_fail (value != NULL);

  antenna_value_take_annotation (value, g_strdup (annotation));
}

void
antenna_value_take_annotation (AntennaValue *value,
                               char         *annotation)
{
  g_return_if_fail (value != NULL);

  g_free (value->annotation);
  value->annotation = annotation;
}

void
antenna_value_set_incomplete (AntennaValue *value,
                              gboolean      incomplete)
{
  g_return_if_fail (value != NULL);

  value->incomplete = !!incomplete;
}

AntennaValueKind
antenna_value_get_kind (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, ANTENNA_VALUE_NULL);

  return value->kind;
}

const char *
antenna_value_get_annotation (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return value->annotation;
}

gboolean
antenna_value_is_incomplete (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return value->incomplete;
}

gboolean
antenna_value_get_bool (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL && value->kind == ANTENNA_VALUE_BOOL, FALSE);

  return value->b;
}

gint64
antenna_value_get_int (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  if (value->kind == ANTENNA_VALUE_UINT)
    return G_MAXINT64;
  g_return_val_if_fail (value->kind == ANTENNA_VALUE_INT, 0);
  return value->i;
}

guint64
antenna_value_get_uint (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  if (value->kind == ANTENNA_VALUE_INT)
    return value->i < 0 ? 0 : (guint64) value->i;
  g_return_val_if_fail (value->kind == ANTENNA_VALUE_UINT, 0);
  return value->u;
}

double
antenna_value_get_double (const AntennaValue *value)
{
  double d = 0;

  g_return_val_if_fail (value != NULL, 0);

  antenna_value_get_number (value, &d);
  return d;
}

gboolean
antenna_value_get_number (const AntennaValue *value,
                          double             *number)
{
  g_return_val_if_fail (value != NULL, FALSE);

  switch (value->kind)
    {
    case ANTENNA_VALUE_INT:
      *number = (double) value->i;
      return TRUE;
    case ANTENNA_VALUE_UINT:
      *number = (double) value->u;
      return TRUE;
    case ANTENNA_VALUE_DOUBLE:
      *number = value->d;
      return TRUE;
    case ANTENNA_VALUE_NULL:
    case ANTENNA_VALUE_BOOL:
    case ANTENNA_VALUE_STRING:
    case ANTENNA_VALUE_BYTES:
    case ANTENNA_VALUE_TIMESTAMP:
    case ANTENNA_VALUE_ARRAY:
    case ANTENNA_VALUE_MAP:
    default:
      return FALSE;
    }
}

const char *
antenna_value_get_string (const AntennaValue *value,
                          gsize              *length)
{
  g_return_val_if_fail (value != NULL && value->kind == ANTENNA_VALUE_STRING, NULL);

  if (length != NULL)
    *length = value->s.len;
  return value->s.str;
}

GBytes *
antenna_value_get_bytes (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL && value->kind == ANTENNA_VALUE_BYTES, NULL);

  return value->bytes;
}

void
antenna_value_get_timestamp (const AntennaValue *value,
                             gint64             *seconds,
                             guint32            *nanoseconds)
{
  g_return_if_fail (value != NULL && value->kind == ANTENNA_VALUE_TIMESTAMP);

  if (seconds != NULL)
    *seconds = value->ts.sec;
  if (nanoseconds != NULL)
    *nanoseconds = value->ts.nsec;
}

guint
antenna_value_get_n_children (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  if (value->kind == ANTENNA_VALUE_ARRAY)
    return value->items->len;
  if (value->kind == ANTENNA_VALUE_MAP)
    return value->items->len / 2;
  return 0;
}

AntennaValue *
antenna_value_get_child (const AntennaValue *value,
                         guint               index)
{
  g_return_val_if_fail (index < antenna_value_get_n_children (value), NULL);

  if (value->kind == ANTENNA_VALUE_ARRAY)
    return g_ptr_array_index (value->items, index);
  return g_ptr_array_index (value->items, index * 2 + 1);
}

AntennaValue *
antenna_value_get_key (const AntennaValue *value,
                       guint               index)
{
  g_return_val_if_fail (value != NULL && value->kind == ANTENNA_VALUE_MAP, NULL);
  g_return_val_if_fail (index < value->items->len / 2, NULL);

  return g_ptr_array_index (value->items, index * 2);
}

AntennaValue *
antenna_value_lookup (const AntennaValue *value,
                      const char         *key)
{
  gsize key_len;

  g_return_val_if_fail (value != NULL && key != NULL, NULL);

  if (value->kind != ANTENNA_VALUE_MAP)
    return NULL;

  key_len = strlen (key);
  for (guint i = 0; i + 1 < value->items->len; i += 2)
    {
      AntennaValue *k = g_ptr_array_index (value->items, i);

      if (k->kind == ANTENNA_VALUE_STRING && k->s.len == key_len && memcmp (k->s.str, key, key_len) == 0)
        return g_ptr_array_index (value->items, i + 1);
    }
  return NULL;
}

AntennaValue *
antenna_value_lookup_path (const AntennaValue *value,
                           const char         *path)
{
  const AntennaValue *node = value;
  const char *p = path;

  g_return_val_if_fail (value != NULL && path != NULL, NULL);

  while (*p != '\0' && node != NULL)
    {
      if (*p == '.')
        {
          p++;
          continue;
        }
      if (*p == '[')
        {
          char *end = NULL;
          guint64 index = g_ascii_strtoull (p + 1, &end, 10);

          if (end == p + 1 || *end != ']' || node->kind != ANTENNA_VALUE_ARRAY ||
              index >= node->items->len)
            return NULL;
          node = g_ptr_array_index (node->items, (guint) index);
          p = end + 1;
        }
      else
        {
          gsize len = strcspn (p, ".[");
          g_autofree char *key = g_strndup (p, len);

          node = antenna_value_lookup (node, key);
          p += len;
        }
    }

  return (AntennaValue *) node;
}

gboolean
antenna_value_equal (const AntennaValue *a,
                     const AntennaValue *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case ANTENNA_VALUE_NULL:
      return TRUE;
    case ANTENNA_VALUE_BOOL:
      return a->b == b->b;
    case ANTENNA_VALUE_INT:
      return a->i == b->i;
    case ANTENNA_VALUE_UINT:
      return a->u == b->u;
    case ANTENNA_VALUE_DOUBLE:
      return (isnan (a->d) && isnan (b->d)) || a->d == b->d;
    case ANTENNA_VALUE_STRING:
      return a->s.len == b->s.len && memcmp (a->s.str, b->s.str, a->s.len) == 0;
    case ANTENNA_VALUE_BYTES:
      return g_bytes_equal (a->bytes, b->bytes);
    case ANTENNA_VALUE_TIMESTAMP:
      return a->ts.sec == b->ts.sec && a->ts.nsec == b->ts.nsec;
    case ANTENNA_VALUE_ARRAY:
    case ANTENNA_VALUE_MAP:
      if (a->items->len != b->items->len)
        return FALSE;
      for (guint i = 0; i < a->items->len; i++)
        if (!antenna_value_equal (g_ptr_array_index (a->items, i), g_ptr_array_index (b->items, i)))
          return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

char *
antenna_value_format_timestamp (gint64  seconds,
                                guint32 nanoseconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seconds);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup_printf ("@%" G_GINT64_FORMAT, seconds);

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (nanoseconds == 0)
    return g_strconcat (base, "Z", NULL);
  else
    {
      char frac[16];
      gsize len;

      g_snprintf (frac, sizeof frac, ".%09u", nanoseconds);
      len = strlen (frac);
      while (len > 2 && frac[len - 1] == '0')
        frac[--len] = '\0';
      return g_strconcat (base, frac, "Z", NULL);
    }
}

/* The shortest text that reads back as @d. */
static void
append_double (GString *out,
               double   d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  g_string_append (out, buf);
}

static void
append_json_string (GString    *out,
                    const char *str,
                    gsize       len)
{
  const char *end = str + len;

  g_string_append_c (out, '"');
  for (const char *p = str; p < end; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

typedef struct {
  GString  *out;
  gboolean  pretty;
  gboolean  preview;   /* display forms, stop past limit */
  gsize     limit;     /* bytes; G_MAXSIZE: none */
  gboolean  cut;
} Render;

static void render (Render *r, const AntennaValue *value, guint indent, gboolean top);

static void
render_newline (Render *r,
                guint   indent)
{
  if (!r->pretty)
    return;
  g_string_append_c (r->out, '\n');
  for (guint i = 0; i < indent; i++)
    g_string_append (r->out, "  ");
}

static void
render_hex (GString *out,
            GBytes  *bytes,
            gsize    max,
            gboolean spaced)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < MIN (size, max); i++)
    {
      if (spaced && i > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, hex_digits[data[i] >> 4]);
      g_string_append_c (out, hex_digits[data[i] & 0xf]);
    }
  if (size > max)
    g_string_append (out, spaced ? " …" : "…");
}

/* A map key as JSON writes it: strings as they are, anything else as its
 * compact JSON text. */
static void
render_key (Render             *r,
            const AntennaValue *key)
{
  if (key->kind == ANTENNA_VALUE_STRING)
    {
      append_json_string (r->out, key->s.str, key->s.len);
    }
  else
    {
      /* A key that is a map or a list (CBOR and MessagePack allow it) is
       * written as its text, cut at KEY_LIMIT bytes: escaped again at every
       * level of keys in keys, it would otherwise double each time. */
      Render sub = { g_string_new (NULL), FALSE, r->preview, MIN (r->limit, KEY_LIMIT), FALSE };

      render (&sub, key, 0, TRUE);
      if (sub.cut || sub.out->len > KEY_LIMIT)
        {
          /* A hard cut, on a character boundary: the text of one child can
           * be longer than the limit the render checks between children. */
          if (sub.out->len > KEY_LIMIT)
            {
              const char *end = sub.out->str + KEY_LIMIT;

              if (((guchar) *end & 0xc0) == 0x80)
                end = g_utf8_find_prev_char (sub.out->str, end);
              g_string_truncate (sub.out, end - sub.out->str);
            }
          g_string_append (sub.out, "…");
        }
      /* Bytes, dates, NaN render as JSON strings already: their text. */
      if (sub.out->len >= 2 && sub.out->str[0] == '"' && sub.out->str[sub.out->len - 1] == '"')
        append_json_string (r->out, sub.out->str + 1, sub.out->len - 2);
      else
        append_json_string (r->out, sub.out->str, sub.out->len);
      g_string_free (sub.out, TRUE);
    }
}

static void
render (Render             *r,
        const AntennaValue *value,
        guint               indent,
        gboolean            top)
{
  if (r->out->len > r->limit)
    {
      r->cut = TRUE;
      return;
    }

  switch (value->kind)
    {
    case ANTENNA_VALUE_NULL:
      g_string_append (r->out, "null");
      break;
    case ANTENNA_VALUE_BOOL:
      g_string_append (r->out, value->b ? "true" : "false");
      break;
    case ANTENNA_VALUE_INT:
      g_string_append_printf (r->out, "%" G_GINT64_FORMAT, value->i);
      break;
    case ANTENNA_VALUE_UINT:
      g_string_append_printf (r->out, "%" G_GUINT64_FORMAT, value->u);
      break;
    case ANTENNA_VALUE_DOUBLE:
      if (isfinite (value->d))
        append_double (r->out, value->d);
      else
        {
          const char *name = isnan (value->d) ? "NaN" : value->d > 0 ? "Infinity" : "-Infinity";

          if (r->preview)
            g_string_append (r->out, name);
          else
            g_string_append_printf (r->out, "\"%s\"", name);
        }
      break;
    case ANTENNA_VALUE_STRING:
      if (r->preview && top)
        g_string_append_len (r->out, value->s.str, MIN (value->s.len, r->limit + 4));
      else if (r->preview)
        append_json_string (r->out, value->s.str, MIN (value->s.len, r->limit + 4));
      else
        append_json_string (r->out, value->s.str, value->s.len);
      break;
    case ANTENNA_VALUE_BYTES:
      if (r->preview)
        {
          g_string_append (r->out, "0x");
          render_hex (r->out, value->bytes, r->limit / 2 + 2, FALSE);
        }
      else
        {
          gsize size;
          const guchar *data = g_bytes_get_data (value->bytes, &size);
          g_autofree char *b64 = g_base64_encode (data, size);

          g_string_append_printf (r->out, "\"%s\"", b64);
        }
      break;
    case ANTENNA_VALUE_TIMESTAMP:
      {
        g_autofree char *text = antenna_value_format_timestamp (value->ts.sec, value->ts.nsec);

        if (r->preview && top)
          g_string_append (r->out, text);
        else
          g_string_append_printf (r->out, "\"%s\"", text);
      }
      break;
    case ANTENNA_VALUE_ARRAY:
    case ANTENNA_VALUE_MAP:
      {
        gboolean is_map = value->kind == ANTENNA_VALUE_MAP;
        guint step = is_map ? 2 : 1;

        g_string_append_c (r->out, is_map ? '{' : '[');
        if (value->items->len == 0 && !(r->preview && value->incomplete))
          {
            g_string_append_c (r->out, is_map ? '}' : ']');
            break;
          }
        for (guint i = 0; i < value->items->len; i += step)
          {
            if (i > 0)
              g_string_append (r->out, r->pretty || !r->preview ? "," : ", ");
            render_newline (r, indent + 1);
            if (is_map)
              {
                render_key (r, g_ptr_array_index (value->items, i));
                g_string_append (r->out, r->pretty || r->preview ? ": " : ":");
                render (r, g_ptr_array_index (value->items, i + 1), indent + 1, FALSE);
              }
            else
              {
                render (r, g_ptr_array_index (value->items, i), indent + 1, FALSE);
              }
            if (r->out->len > r->limit)
              {
                r->cut = TRUE;
                return;
              }
          }
        if (r->preview && value->incomplete)
          g_string_append (r->out, value->items->len > 0 ? ", …" : "…");
        render_newline (r, indent);
        g_string_append_c (r->out, is_map ? '}' : ']');
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
antenna_value_to_json (const AntennaValue *value,
                       gboolean            pretty)
{
  Render r = { g_string_new (NULL), pretty, FALSE, G_MAXSIZE, FALSE };

  g_return_val_if_fail (value != NULL, NULL);

  render (&r, value, 0, TRUE);
  return g_string_free (r.out, FALSE);
}

char *
antenna_value_dup_preview (const AntennaValue *value,
                           guint               max_chars)
{
  Render r = { g_string_new (NULL), FALSE, TRUE, (gsize) max_chars * 4 + 8, FALSE };
  GString *line;
  guint n_chars = 0;
  gboolean more;
  g_autofree char *valid = NULL;

  g_return_val_if_fail (value != NULL, NULL);

  if (max_chars == 0)
    {
      g_string_free (r.out, TRUE);
      return g_strdup ("");
    }

  render (&r, value, 0, TRUE);
  /* The raw bytes may end in half a character where the limit cut them. */
  valid = g_utf8_make_valid (r.out->str, (gssize) r.out->len);
  g_string_free (r.out, TRUE);

  line = g_string_sized_new (max_chars + 8);
  more = r.cut;
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (n_chars + 1 > max_chars)
        {
          more = TRUE;
          break;
        }
      if (g_unichar_iscntrl (ch) || ch == '\n' || ch == '\r' || ch == '\t')
        g_string_append_c (line, ' ');
      else
        g_string_append_unichar (line, ch);
      n_chars++;
    }

  if (more)
    {
      while (n_chars + 1 > max_chars && line->len > 0)
        {
          const char *last = g_utf8_find_prev_char (line->str, line->str + line->len);

          g_string_truncate (line, last - line->str);
          n_chars--;
        }
      g_string_append (line, "…");
    }

  return g_string_free (line, FALSE);
}

char *
antenna_value_dup_display (const AntennaValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  switch (value->kind)
    {
    case ANTENNA_VALUE_STRING:
      return g_strndup (value->s.str, value->s.len);
    case ANTENNA_VALUE_BYTES:
      {
        GString *out = g_string_new (NULL);

        render_hex (out, value->bytes, 64, TRUE);
        return g_string_free (out, FALSE);
      }
    case ANTENNA_VALUE_TIMESTAMP:
      return antenna_value_format_timestamp (value->ts.sec, value->ts.nsec);
    case ANTENNA_VALUE_ARRAY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", value->items->len),
                              value->items->len);
    case ANTENNA_VALUE_MAP:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", value->items->len / 2),
                              value->items->len / 2);
    case ANTENNA_VALUE_NULL:
    case ANTENNA_VALUE_BOOL:
    case ANTENNA_VALUE_INT:
    case ANTENNA_VALUE_UINT:
    case ANTENNA_VALUE_DOUBLE:
    default:
      return antenna_value_dup_preview (value, 64);
    }
}

const char *
antenna_value_kind_to_string (AntennaValueKind kind)
{
  switch (kind)
    {
    case ANTENNA_VALUE_NULL:
      return C_("value kind", "null");
    case ANTENNA_VALUE_BOOL:
      return C_("value kind", "boolean");
    case ANTENNA_VALUE_INT:
    case ANTENNA_VALUE_UINT:
      return C_("value kind", "integer");
    case ANTENNA_VALUE_DOUBLE:
      return C_("value kind", "number");
    case ANTENNA_VALUE_STRING:
      return C_("value kind", "string");
    case ANTENNA_VALUE_BYTES:
      return C_("value kind", "bytes");
    case ANTENNA_VALUE_TIMESTAMP:
      return C_("value kind", "date");
    case ANTENNA_VALUE_ARRAY:
      return C_("value kind", "list");
    case ANTENNA_VALUE_MAP:
      return C_("value kind", "map");
    default:
      return "";
    }
}

static gboolean
foreach_number (const AntennaValue     *value,
                GString                *path,
                AntennaValueNumberFunc  func,
                gpointer                user_data)
{
  double number;
  gsize len = path->len;

  if (antenna_value_get_number (value, &number))
    return func (path->str, number, user_data);
  if (value->kind == ANTENNA_VALUE_BOOL)
    return func (path->str, value->b ? 1 : 0, user_data);

  if (value->kind == ANTENNA_VALUE_ARRAY)
    {
      for (guint i = 0; i < value->items->len; i++)
        {
          g_string_append_printf (path, "[%u]", i);
          if (!foreach_number (g_ptr_array_index (value->items, i), path, func, user_data))
            return FALSE;
          g_string_truncate (path, len);
        }
    }
  else if (value->kind == ANTENNA_VALUE_MAP)
    {
      for (guint i = 0; i + 1 < value->items->len; i += 2)
        {
          AntennaValue *key = g_ptr_array_index (value->items, i);

          if (len > 0)
            g_string_append_c (path, '.');
          if (key->kind == ANTENNA_VALUE_STRING)
            g_string_append_len (path, key->s.str, key->s.len);
          else
            {
              g_autofree char *text = antenna_value_dup_preview (key, 32);

              g_string_append (path, text);
            }
          if (!foreach_number (g_ptr_array_index (value->items, i + 1), path, func, user_data))
            return FALSE;
          g_string_truncate (path, len);
        }
    }

  return TRUE;
}

void
antenna_value_foreach_number (const AntennaValue     *value,
                              AntennaValueNumberFunc  func,
                              gpointer                user_data)
{
  g_autoptr(GString) path = g_string_new (NULL);

  g_return_if_fail (value != NULL && func != NULL);

  foreach_number (value, path, func, user_data);
}
