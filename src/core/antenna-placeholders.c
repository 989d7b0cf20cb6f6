/* antenna-placeholders.c: generated values in a topic or payload, expanded per message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-placeholders"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-placeholders.h"

typedef enum {
  PART_LITERAL,
  PART_BRACE,
  PART_COUNTER,
  PART_TIME_S,
  PART_TIME_MS,
  PART_TIME_ISO,
  PART_UUID,
  PART_INT,
  PART_FLOAT,
  PART_CHOICE,
  PART_WALK,
  PART_CLIENT_ID,
} PartKind;

typedef struct
{
  PartKind  kind;
  /* LITERAL: the bytes (decoded from hex or Base64 already). */
  GBytes   *literal;
  /* Inside a JSON string (JSON payloads only). */
  gboolean  in_string;
  /* COUNTER: start, step; INT: min, max. */
  gint64    a, b;
  /* FLOAT: min, max; WALK: start, min, max, step. */
  double    x[4];
  guint     decimals;
  char    **choices;
  /* The walk's position before its next step (state, see Snapshot). */
  double    walk;
} Part;

struct _AntennaPlaceholders
{
  GObject               parent_instance;

  GArray               *parts;   /* of Part */
  AntennaPayloadFormat  format;
  GRand                *rand;
  char                 *client_id;
  /* JSON only: MessagePack or CBOR, encoded after expansion (NULL: none). */
  const AntennaDecoder *encoder;
  guint64               index;
  guint                 n_placeholders;
};

G_DEFINE_FINAL_TYPE (AntennaPlaceholders, antenna_placeholders, G_TYPE_OBJECT)

static void
part_clear (gpointer data)
{
  Part *part = data;

  g_clear_pointer (&part->literal, g_bytes_unref);
  g_clear_pointer (&part->choices, g_strfreev);
}

/* ---- parsing ---- */

static gboolean
parse_int (const char *text,
           gint64     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoll (text, &end, 10);
  return errno == 0 && *end == '\0';
}

static gboolean
parse_double (const char *text,
              double     *value,
              guint      *decimals)
{
  char *end = NULL;
  const char *dot;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  if (*end != '\0' || !isfinite (*value))
    return FALSE;
  dot = strchr (text, '.');
  if (dot != NULL)
    *decimals = MAX (*decimals, (guint) MIN (strlen (dot + 1), 9));
  return TRUE;
}

/* The characters [@start, @start + @length) of @text into @span (nullable). */
static void
set_span (AntennaPayloadSpan *span,
          const char         *text,
          const char         *start,
          gsize               length)
{
  if (span == NULL)
    return;
  span->start = (guint) g_utf8_pointer_to_offset (text, start);
  span->end = (guint) g_utf8_pointer_to_offset (text, start + length);
}

static void
set_placeholder_error (GError            **error,
                       AntennaPayloadSpan *span,
                       const char         *text,
                       const char         *start,
                       gsize               length,
                       const char         *why)
{
  g_autofree char *name = g_strndup (start, length);
  glong offset = g_utf8_pointer_to_offset (text, start) + 1;

  set_span (span, text, start, length);

  /* TRANSLATORS: "{{int:5:1}}" at 12: the minimum is greater than the maximum. */
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
               _("Placeholder “%s” at character %ld: %s"), name, offset, why);
}

/* @inner is the text between "{{" and "}}". */
static gboolean
parse_placeholder (Part        *part,
                   const char  *inner,
                   const char **why)
{
  g_auto(GStrv) args = NULL;
  guint n;
  const char *name;

  /* choice keeps every ':' after the name in its choices */
  if (g_str_has_prefix (inner, "choice:"))
    {
      part->kind = PART_CHOICE;
      part->choices = g_strsplit (inner + strlen ("choice:"), "|", -1);
      if (part->choices[0] == NULL || (part->choices[0][0] == '\0' && part->choices[1] == NULL))
        {
          *why = _("list the choices, separated by “|”.");
          return FALSE;
        }
      return TRUE;
    }

  args = g_strsplit (inner, ":", -1);
  n = g_strv_length (args) - 1;
  name = args[0];

  if (g_str_equal (name, "brace") && n == 0)
    part->kind = PART_BRACE;
  else if (g_str_equal (name, "uuid") && n == 0)
    part->kind = PART_UUID;
  else if (g_str_equal (name, "client_id") && n == 0)
    part->kind = PART_CLIENT_ID;
  else if (g_str_equal (name, "time"))
    {
      if (n == 0 || (n == 1 && g_str_equal (args[1], "s")))
        part->kind = PART_TIME_S;
      else if (n == 1 && g_str_equal (args[1], "ms"))
        part->kind = PART_TIME_MS;
      else if (n == 1 && g_str_equal (args[1], "iso"))
        part->kind = PART_TIME_ISO;
      else
        {
          *why = _("the time is {{time}}, {{time:ms}} or {{time:iso}}.");
          return FALSE;
        }
    }
  else if (g_str_equal (name, "counter"))
    {
      part->kind = PART_COUNTER;
      part->a = 1;
      part->b = 1;
      if (n != 0 && (n != 2 || !parse_int (args[1], &part->a) || !parse_int (args[2], &part->b)))
        {
          *why = _("the counter is {{counter}} or {{counter:START:STEP}} with whole numbers.");
          return FALSE;
        }
    }
  else if (g_str_equal (name, "int"))
    {
      part->kind = PART_INT;
      if (n != 2 || !parse_int (args[1], &part->a) || !parse_int (args[2], &part->b))
        {
          *why = _("write {{int:MIN:MAX}} with whole numbers.");
          return FALSE;
        }
      if (part->a > part->b)
        {
          *why = _("the minimum is greater than the maximum.");
          return FALSE;
        }
    }
  else if (g_str_equal (name, "float"))
    {
      part->kind = PART_FLOAT;
      if (n != 2 || !parse_double (args[1], &part->x[0], &part->decimals) ||
          !parse_double (args[2], &part->x[1], &part->decimals))
        {
          *why = _("write {{float:MIN:MAX}} with numbers.");
          return FALSE;
        }
      if (part->x[0] > part->x[1])
        {
          *why = _("the minimum is greater than the maximum.");
          return FALSE;
        }
    }
  else if (g_str_equal (name, "walk"))
    {
      part->kind = PART_WALK;
      if (n != 4 || !parse_double (args[1], &part->x[0], &part->decimals) ||
          !parse_double (args[2], &part->x[1], &part->decimals) ||
          !parse_double (args[3], &part->x[2], &part->decimals) ||
          !parse_double (args[4], &part->x[3], &part->decimals))
        {
          *why = _("write {{walk:START:MIN:MAX:STEP}} with numbers.");
          return FALSE;
        }
      if (part->x[1] > part->x[2] || part->x[0] < part->x[1] || part->x[0] > part->x[2])
        {
          *why = _("the start must lie between the minimum and the maximum.");
          return FALSE;
        }
      part->walk = part->x[0];
    }
  else
    {
      *why = _("unknown placeholder (see the list under the “{{…}}” button).");
      return FALSE;
    }

  if (part->kind == PART_FLOAT || part->kind == PART_WALK)
    part->decimals = MAX (part->decimals, 2);

  return TRUE;
}

/* Whether the JSON text in [@p, @end) leaves a string open, from @in_string. */
static gboolean
json_scan_string_state (const char *p,
                        const char *end,
                        gboolean    in_string)
{
  for (; p < end; p++)
    {
      if (in_string && *p == '\\')
        {
          if (p + 1 < end)
            p++;
        }
      else if (*p == '"')
        in_string = !in_string;
    }
  return in_string;
}

static gboolean
add_literal (AntennaPlaceholders  *self,
             const char           *text,
             const char           *start,
             const char           *end,
             AntennaPayloadSpan   *span,
             GError              **error)
{
  Part part = { PART_LITERAL, };
  g_autoptr(GError) local_error = NULL;

  if (start == end)
    return TRUE;

  if (self->format == ANTENNA_PAYLOAD_FORMAT_HEX || self->format == ANTENNA_PAYLOAD_FORMAT_BASE64)
    {
      part.literal = antenna_payload_decode (start, end - start, self->format, &local_error);
      if (part.literal == NULL)
        {
          glong offset = g_utf8_pointer_to_offset (text, start) + 1;

          set_span (span, text, start, end - start);
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                       /* TRANSLATORS: the part of a hex or Base64 payload from the given character up to the next placeholder */
                       _("The text from character %ld: %s"), offset, local_error->message);
          return FALSE;
        }
    }
  else
    part.literal = g_bytes_new (start, end - start);

  g_array_append_val (self->parts, part);
  return TRUE;
}

static gboolean
parse_template (AntennaPlaceholders  *self,
                const char           *text,
                AntennaPayloadSpan   *span,
                GError              **error)
{
  const char *p = text;
  const char *literal_start = text;
  gboolean in_string = FALSE;
  gboolean json = self->format == ANTENNA_PAYLOAD_FORMAT_JSON;

  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (p + 2, "}}");
      const char *why = NULL;
      g_autofree char *inner = NULL;
      Part part = { 0, };

      if (close == NULL)
        {
          set_placeholder_error (error, span, text, p, strlen (p),
                                 _("it is not closed with “}}”."));
          return FALSE;
        }
      /* "{{{{" or "{{a{{b}}": the first "{{" is not closed before the next */
      inner = g_strndup (p + 2, close - p - 2);
      if (strstr (inner, "{{") != NULL)
        {
          set_placeholder_error (error, span, text, p, close + 2 - p,
                                 _("it is not closed before the next “{{” (write {{brace}} for a literal “{{”)."));
          return FALSE;
        }
      if (!parse_placeholder (&part, inner, &why))
        {
          part_clear (&part);
          set_placeholder_error (error, span, text, p, close + 2 - p, why);
          return FALSE;
        }

      if (!add_literal (self, text, literal_start, p, span, error))
        {
          part_clear (&part);
          return FALSE;
        }
      if (json)
        in_string = json_scan_string_state (literal_start, p, in_string);
      part.in_string = in_string;
      g_array_append_val (self->parts, part);
      self->n_placeholders++;

      p = literal_start = close + 2;
    }

  return add_literal (self, text, literal_start, literal_start + strlen (literal_start), span, error);
}

/* ---- expanding ---- */

static void
append_uuid (GString *out,
             GRand   *rand)
{
  guint8 bytes[16];

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_rand_int (rand);
      memcpy (bytes + i, &r, 4);
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  g_string_append_printf (out,
                          "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                          bytes[12], bytes[13], bytes[14], bytes[15]);
}

static void
append_double (GString *out,
               double   value,
               guint    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  g_snprintf (format, sizeof format, "%%.%uf", decimals);
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, format, value));
}

/* The text of @part for this message, and whether it is a JSON number. */
static gboolean
format_value (AntennaPlaceholders *self,
              Part                *part,
              gint64               now_us,
              GString             *out)
{
  switch (part->kind)
    {
    case PART_BRACE:
      g_string_append (out, "{{");
      return FALSE;

    case PART_COUNTER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT,
                              part->a + part->b * (gint64) self->index);
      return TRUE;

    case PART_TIME_S:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, now_us / G_USEC_PER_SEC);
      return TRUE;

    case PART_TIME_MS:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, now_us / 1000);
      return TRUE;

    case PART_TIME_ISO:
      {
        g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
        g_autofree char *date = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

        g_string_append_printf (out, "%s.%03dZ", date, (int) ((now_us / 1000) % 1000));
        return FALSE;
      }

    case PART_UUID:
      append_uuid (out, self->rand);
      return FALSE;

    case PART_INT:
      {
        /* uniform enough over any range a person types */
        double span = (double) part->b - (double) part->a + 1.0;
        gint64 value = part->a + (gint64) floor (g_rand_double (self->rand) * span);

        g_string_append_printf (out, "%" G_GINT64_FORMAT, CLAMP (value, part->a, part->b));
        return TRUE;
      }

    case PART_FLOAT:
      append_double (out, g_rand_double_range (self->rand, part->x[0], part->x[1]) , part->decimals);
      return TRUE;

    case PART_WALK:
      {
        double value = part->walk;

        append_double (out, value, part->decimals);
        value += g_rand_double_range (self->rand, -part->x[3], part->x[3]);
        part->walk = CLAMP (value, part->x[1], part->x[2]);
        return TRUE;
      }

    case PART_CHOICE:
      {
        guint n = g_strv_length (part->choices);
        const char *choice = part->choices[g_rand_int_range (self->rand, 0, (gint32) n)];

        g_string_append (out, choice);
        /* a number (or true, false, null) stays bare in JSON */
        return antenna_payload_validate_json (choice, -1, NULL) && choice[0] != '"' &&
               choice[0] != '{' && choice[0] != '[';
      }

    case PART_CLIENT_ID:
      g_string_append (out, self->client_id != NULL ? self->client_id : "");
      return FALSE;

    case PART_LITERAL:
    default:
      g_assert_not_reached ();
    }
}

static void
append_json_string_body (GString    *out,
                         const char *text,
                         gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
}

/* The next message; *@expanded (nullable) gets the text before encoding. */
static GBytes *
expand (AntennaPlaceholders  *self,
        gint64                now_us,
        GBytes              **expanded,
        GError              **error)
{
  g_autoptr(GBytes) text = NULL;
  GBytes *encoded;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  gboolean json = self->format == ANTENNA_PAYLOAD_FORMAT_JSON;

  for (guint i = 0; i < self->parts->len; i++)
    {
      Part *part = &g_array_index (self->parts, Part, i);
      gboolean number;

      if (part->kind == PART_LITERAL)
        {
          gsize size;
          const char *data = g_bytes_get_data (part->literal, &size);

          g_string_append_len (out, data, size);
          continue;
        }

      g_string_truncate (value, 0);
      number = format_value (self, part, now_us, value);

      if (!json)
        g_string_append_len (out, value->str, value->len);
      else if (part->in_string)
        append_json_string_body (out, value->str, value->len);
      else if (number)
        g_string_append_len (out, value->str, value->len);
      else
        {
          g_string_append_c (out, '"');
          append_json_string_body (out, value->str, value->len);
          g_string_append_c (out, '"');
        }
    }

  if (json && !antenna_payload_validate_json (out->str, out->len, error))
    return NULL;

  text = g_string_free_to_bytes (g_steal_pointer (&out));
  if (self->encoder != NULL)
    {
      /* after expansion, per message: each carries its own values */
      encoded = antenna_decoder_encode_json (self->encoder, g_bytes_get_data (text, NULL),
                                             g_bytes_get_size (text), error);
      if (encoded == NULL)
        return NULL;
    }
  else
    encoded = g_bytes_ref (text);

  self->index++;

  if (expanded != NULL)
    *expanded = g_steal_pointer (&text);
  return encoded;
}

/* ---- GObject ---- */

static void
antenna_placeholders_finalize (GObject *object)
{
  AntennaPlaceholders *self = ANTENNA_PLACEHOLDERS (object);

  g_clear_pointer (&self->parts, g_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->client_id, g_free);

  G_OBJECT_CLASS (antenna_placeholders_parent_class)->finalize (object);
}

static void
antenna_placeholders_class_init (AntennaPlaceholdersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = antenna_placeholders_finalize;
}

static void
antenna_placeholders_init (AntennaPlaceholders *self)
{
  self->parts = g_array_new (FALSE, TRUE, sizeof (Part));
  g_array_set_clear_func (self->parts, part_clear);
  self->rand = g_rand_new ();
}

/* ---- public API ---- */

AntennaPlaceholders *
antenna_placeholders_new (const char            *text,
                          AntennaPayloadFormat   format,
                          GError               **error)
{
  return antenna_placeholders_new_span (text, format, NULL, error);
}

AntennaPlaceholders *
antenna_placeholders_new_span (const char            *text,
                               AntennaPayloadFormat   format,
                               AntennaPayloadSpan    *span,
                               GError               **error)
{
  g_autoptr(AntennaPlaceholders) self = NULL;

  if (span != NULL)
    span->start = span->end = G_MAXUINT;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ANTENNA_TYPE_PLACEHOLDERS, NULL);
  self->format = format == ANTENNA_PAYLOAD_FORMAT_AUTO ? ANTENNA_PAYLOAD_FORMAT_TEXT : format;
  if (!parse_template (self, text, span, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
antenna_placeholders_text_has_any (const char *text)
{
  return text != NULL && strstr (text, "{{") != NULL;
}

gboolean
antenna_placeholders_has_any (AntennaPlaceholders *self)
{
  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), FALSE);

  return self->n_placeholders > 0;
}

void
antenna_placeholders_set_seed (AntennaPlaceholders *self,
                               guint32              seed)
{
  g_return_if_fail (ANTENNA_IS_PLACEHOLDERS (self));

  g_rand_set_seed (self->rand, seed);
}

void
antenna_placeholders_set_client_id (AntennaPlaceholders *self,
                                    const char          *client_id)
{
  g_return_if_fail (ANTENNA_IS_PLACEHOLDERS (self));

  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
}

void
antenna_placeholders_set_encoder (AntennaPlaceholders  *self,
                                  const AntennaDecoder *encoder)
{
  g_return_if_fail (ANTENNA_IS_PLACEHOLDERS (self));

  /* JSON and text encoders write what was typed: nothing to do */
  if (encoder != NULL && (!antenna_decoder_can_encode (encoder) ||
                          g_str_equal (antenna_decoder_get_id (encoder), ANTENNA_DECODER_JSON) ||
                          g_str_equal (antenna_decoder_get_id (encoder), ANTENNA_DECODER_TEXT)))
    encoder = NULL;
  self->encoder = self->format == ANTENNA_PAYLOAD_FORMAT_JSON ? encoder : NULL;
}

void
antenna_placeholders_set_index (AntennaPlaceholders *self,
                                guint64              index)
{
  g_return_if_fail (ANTENNA_IS_PLACEHOLDERS (self));

  self->index = index;
}

guint64
antenna_placeholders_get_index (AntennaPlaceholders *self)
{
  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), 0);

  return self->index;
}

GBytes *
antenna_placeholders_expand (AntennaPlaceholders  *self,
                             gint64                now_us,
                             GError              **error)
{
  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return expand (self, now_us, NULL, error);
}

GBytes *
antenna_placeholders_peek_expanded (AntennaPlaceholders  *self,
                                    gint64                now_us,
                                    GBytes              **expanded,
                                    GError              **error)
{
  GRand *saved_rand;
  guint64 saved_index;
  g_autofree double *saved_walks = NULL;
  GBytes *bytes;

  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* the state expand() moves on: the random numbers, the index, the walks */
  saved_rand = g_rand_copy (self->rand);
  saved_index = self->index;
  saved_walks = g_new (double, self->parts->len + 1);
  for (guint i = 0; i < self->parts->len; i++)
    saved_walks[i] = g_array_index (self->parts, Part, i).walk;

  bytes = expand (self, now_us, expanded, error);

  g_rand_free (self->rand);
  self->rand = saved_rand;
  self->index = saved_index;
  for (guint i = 0; i < self->parts->len; i++)
    g_array_index (self->parts, Part, i).walk = saved_walks[i];

  return bytes;
}

GBytes *
antenna_placeholders_peek (AntennaPlaceholders  *self,
                           gint64                now_us,
                           GError              **error)
{
  return antenna_placeholders_peek_expanded (self, now_us, NULL, error);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

char *
antenna_placeholders_expand_string (AntennaPlaceholders *self,
                                    gint64               now_us)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), NULL);

  bytes = expand (self, now_us, NULL, NULL);
  return bytes_to_string (bytes);
}

char *
antenna_placeholders_peek_string (AntennaPlaceholders *self,
                                  gint64               now_us)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (ANTENNA_IS_PLACEHOLDERS (self), NULL);

  bytes = antenna_placeholders_peek (self, now_us, NULL);
  return bytes_to_string (bytes);
}
