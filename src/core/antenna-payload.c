/* antenna-payload.c: payload detection, formatting and input decoding
 *
 * Everything here looks at no more than a bounded prefix of a payload, so
 * that a 256 MB message costs no more to show than a 1 MB one.
 *
 * JSON is parsed with json-glib to decide whether it is JSON, but it is
 * pretty-printed from its own text, re-indented token by token: json-glib
 * 1.6's generator drops duplicate members, prints 1e400 as "inf.0" and
 * integers past 64 bits as -1, and a person must see what was sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-payload"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-payload.h"

/* json-glib 1.6 parses recursively: a payload of 100,000 '[' overflows the
 * stack. Deeper JSON is refused before it reaches the parser. */
#define JSON_MAX_DEPTH ANTENNA_PAYLOAD_JSON_MAX_DEPTH

/* Re-indenting JSON adds up to 2 spaces per level to every line; a crafted
 * payload ("[[[[…1,1,1,1…") could make it grow a hundredfold. The pretty
 * text stops (with *truncated set) past this many bytes per payload byte. */
#define JSON_PRETTY_GROWTH 16
#define JSON_PRETTY_SLACK  (1024 * 1024)

/* Base64 lines are cut like base64(1)'s: a text view is slow on one
 * line of megabytes. */
#define BASE64_LINE_LENGTH 76

#define HEX_ROW_BYTES 16

static const char hex_digits[] = "0123456789abcdef";

/* The bytes of @payload; never NULL, even when empty. */
static const char *
payload_data (GBytes *payload,
              gsize  *size)
{
  const char *data = g_bytes_get_data (payload, size);

  return data != NULL ? data : "";
}

static inline gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the UTF-8 sequence that @lead starts, 0 if it starts none. */
static inline gsize
utf8_sequence_length (guchar lead)
{
  if (lead < 0x80)
    return 1;
  if (lead >= 0xc2 && lead <= 0xdf)
    return 2;
  if (lead >= 0xe0 && lead <= 0xef)
    return 3;
  if (lead >= 0xf0 && lead <= 0xf4)
    return 4;
  return 0;
}

/* Whether @p, @in_prefix bytes before the end of a prefix and @available
 * bytes before the end of the whole payload, starts a valid character
 * that the end of the prefix cuts in two. Looks at most 3 bytes past the
 * prefix. */
static gboolean
is_cut_character (const char *p,
                  gsize       in_prefix,
                  gsize       available)
{
  gsize need = utf8_sequence_length ((guchar) *p);

  return need > in_prefix && need <= available && g_utf8_validate_len (p, need, NULL);
}

/* The length of the valid UTF-8 at the start of the first @len of the
 * @size bytes of @data: @len when they are valid, less a last character
 * cut in two by the end of the prefix. -1 when the bytes are not UTF-8 or
 * contain NUL. */
static gssize
utf8_prefix_length (const char *data,
                    gsize       len,
                    gsize       size)
{
  const char *end = NULL;

  if (g_utf8_validate_len (data, len, &end))
    return (gssize) len;

  if (len < size && is_cut_character (end, data + len - end, data + size - end))
    return end - data;

  return -1;
}

/* Whether the first @len of the @size bytes of @data read as text: UTF-8
 * without control characters other than tab, newline and carriage return. */
static gboolean
is_text (const char *data,
         gsize       len,
         gsize       size)
{
  gssize valid = utf8_prefix_length (data, len, size);
  const char *end;

  if (valid < 0)
    return FALSE;

  end = data + valid;
  for (const char *p = data; p < end; )
    {
      guchar c = (guchar) *p;

      if (c < 0x80)
        {
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return FALSE;
          p++;
        }
      else
        {
          if (g_unichar_iscntrl (g_utf8_get_char (p)))
            return FALSE;
          p = g_utf8_next_char (p);
        }
    }

  return TRUE;
}

/* Line and column (1-based, in characters) of @pos in @data. */
static void
text_line_column (const char *data,
                  const char *pos,
                  guint      *line,
                  guint      *column)
{
  const char *line_start = data;

  *line = 1;
  for (const char *p = data; p < pos; p++)
    {
      if (*p == '\n')
        {
          (*line)++;
          line_start = p + 1;
        }
    }

  *column = (guint) g_utf8_strlen (line_start, pos - line_start) + 1;
}

static void
set_json_error_at (GError     **error,
                   guint       *where,
                   const char  *data,
                   const char  *pos,
                   const char  *reason)
{
  guint line, column;

  text_line_column (data, pos, &line, &column);
  if (where != NULL)
    {
      where[0] = line;
      where[1] = column;
    }
  /* Translators: the last %s says what is wrong, e.g. "unexpected character “'”" */
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
               _("Invalid JSON at line %u, column %u: %s."),
               line, column, reason);
}

/* The end of the string that starts with the '"' at @p, past its closing
 * quote, or @end when it is not closed. Escapes skip one character as in
 * json-glib's scanner ("\u0022" is six characters and no quote). */
static const char *
json_string_end (const char *p,
                 const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p + 1;
    }
  return end;
}

static inline gboolean
is_json_scalar_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '+' || c == '.';
}

/* What json-glib does not check: a lexical pass over valid UTF-8 that
 * refuses comments, single quotes and everything else that is not JSON,
 * a second value after the first, and nesting deeper than JSON_MAX_DEPTH
 * (which would overflow json-glib's recursive parser). */
static gboolean
json_check_lexical (const char  *data,
                    gsize        len,
                    guint       *where,
                    GError     **error)
{
  const char *end = data + len;
  const char *p = data;
  guint depth = 0;
  gboolean have_value = FALSE;

  while (p < end)
    {
      char c = *p;

      if (is_json_space (c))
        {
          p++;
          continue;
        }

      if (depth == 0 && have_value)
        {
          set_json_error_at (error, where, data, p, _("unexpected text after the end of the JSON value"));
          return FALSE;
        }

      if (c == '"')
        {
          p = json_string_end (p, end);
          if (depth == 0)
            have_value = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > JSON_MAX_DEPTH)
            {
              g_autofree char *reason =
                g_strdup_printf (_("nested deeper than %u levels"), JSON_MAX_DEPTH);
              set_json_error_at (error, where, data, p, reason);
              return FALSE;
            }
          p++;
        }
      else if (c == ']' || c == '}')
        {
          /* An unbalanced bracket is json-glib's to report. */
          if (depth > 0 && --depth == 0)
            have_value = TRUE;
          p++;
        }
      else if (c == ',' || c == ':')
        {
          p++;
        }
      else if (is_json_scalar_char (c))
        {
          while (p < end && is_json_scalar_char (*p))
            p++;
          if (depth == 0)
            have_value = TRUE;
        }
      else
        {
          g_autofree char *reason = NULL;
          gunichar ch = g_utf8_get_char (p);

          if (g_unichar_isgraph (ch))
            {
              char buf[8] = { 0 };

              g_unichar_to_utf8 (ch, buf);
              reason = g_strdup_printf (_("unexpected character “%s”"), buf);
            }
          else
            {
              reason = g_strdup_printf (_("unexpected character U+%04X"), ch);
            }
          set_json_error_at (error, where, data, p, reason);
          return FALSE;
        }
    }

  return TRUE;
}

/* Turns json-glib's "<data>:2:5: Parse error: unexpected …" into a
 * sentence of ours. */
static void
set_json_error_from_parser (GError     **error,
                            guint       *where,
                            const GError *parser_error)
{
  /* json-glib quotes the token it stopped at, cut at a byte count: it can
   * end in half a character. */
  g_autofree char *valid = g_utf8_make_valid (parser_error->message, -1);
  const char *msg = valid;
  guint line = 0, column = 0;
  int consumed = 0;

  if (sscanf (msg, "<data>:%u:%u: %n", &line, &column, &consumed) >= 2 && consumed > 0)
    {
      g_autofree char *reason = NULL;
      gsize reason_len;

      if (where != NULL)
        {
          where[0] = line;
          where[1] = column;
        }

      msg += consumed;
      if (g_str_has_prefix (msg, "Parse error: "))
        msg += strlen ("Parse error: ");

      reason = g_strdup (msg);
      reason_len = strlen (reason);
      while (reason_len > 0 && (reason[reason_len - 1] == '.' || g_ascii_isspace (reason[reason_len - 1])))
        reason[--reason_len] = '\0';

      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                   _("Invalid JSON at line %u, column %u: %s."),
                   line, column, reason);
    }
  else
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                   _("Invalid JSON: %s"), msg);
    }
}

static void
set_json_error_blank (GError **error)
{
  g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       _("Invalid JSON: there is no value, only white space."));
}

/* Parses @len bytes as JSON. On success returns the root (NULL for empty or
 * blank input), on failure sets ANTENNA_ERROR_INVALID_PAYLOAD. */
static gboolean
json_parse_at (const char  *data,
               gsize        len,
               JsonNode   **root,
               guint       *where,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;

  *root = NULL;

  if (!g_utf8_validate_len (data, len, &bad))
    {
      if (*bad == '\0')
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                     _("Invalid JSON: it contains a NUL character (byte %u)."),
                     (guint) (bad - data) + 1);
      else
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                     _("Invalid JSON: it is not valid UTF-8 (byte %u)."),
                     (guint) (bad - data) + 1);
      return FALSE;
    }

  if (!json_check_lexical (data, len, where, error))
    return FALSE;

  if (len == 0)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      set_json_error_from_parser (error, where, local_error);
      return FALSE;
    }

  if (json_parser_get_root (parser) != NULL)
    *root = json_node_ref (json_parser_get_root (parser));

  return TRUE;
}

static gboolean
json_parse (const char  *data,
            gsize        len,
            JsonNode   **root,
            GError     **error)
{
  return json_parse_at (data, len, root, NULL, error);
}

/* Whether the whole of @data is a JSON object or array. */
static gboolean
is_json_container (const char *data,
                   gsize       len)
{
  g_autoptr(JsonNode) root = NULL;

  if (!json_parse (data, len, &root, NULL) || root == NULL)
    return FALSE;

  return JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root);
}

static void
append_newline_indent (GString *out,
                       guint    indent)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

/* Re-indents JSON that json_parse() accepted, with two spaces per level,
 * keeping every token as written. Stops at a line end past @limit bytes
 * and sets *@cut. */
static char *
json_pretty (const char *data,
             gsize       len,
             gsize       limit,
             gboolean   *cut)
{
  GString *out = g_string_sized_new (len + len / 2 + 16);
  const char *end = data + len;
  const char *p = data;
  guint indent = 0;

  *cut = FALSE;

  while (p < end)
    {
      char c = *p;

      if (is_json_space (c))
        {
          p++;
          continue;
        }

      if (c == '"')
        {
          const char *q = json_string_end (p, end);

          g_string_append_len (out, p, q - p);
          p = q;
        }
      else if (c == '[' || c == '{')
        {
          const char *q = p + 1;
          char close = c == '[' ? ']' : '}';

          while (q < end && is_json_space (*q))
            q++;

          g_string_append_c (out, c);
          if (q < end && *q == close)
            {
              g_string_append_c (out, close);
              p = q + 1;
            }
          else
            {
              append_newline_indent (out, ++indent);
              p++;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (indent > 0)
            indent--;
          append_newline_indent (out, indent);
          g_string_append_c (out, c);
          p++;
        }
      else if (c == ',')
        {
          g_string_append_c (out, ',');
          append_newline_indent (out, indent);
          p++;
        }
      else if (c == ':')
        {
          g_string_append (out, ": ");
          p++;
        }
      else
        {
          g_string_append_c (out, c);
          p++;
        }

      if (out->len > limit)
        {
          const char *nl = g_strrstr_len (out->str, out->len, "\n");

          g_string_truncate (out, nl != NULL ? (gsize) (nl - out->str) : limit);
          *cut = TRUE;
          break;
        }
    }

  return g_string_free (out, FALSE);
}

/* The first @len of the @size bytes of @data as UTF-8 text, invalid
 * sequences as U+FFFD, without a last character cut in two. */
static char *
format_text (const char *data,
             gsize       len,
             gsize       size)
{
  if (len < size && len > 0)
    {
      /* The start of the last character, at most 3 bytes back. */
      for (gsize back = 1; back <= 3 && back <= len; back++)
        {
          const char *p = data + len - back;

          if (((guchar) *p & 0xc0) != 0x80)
            {
              if (is_cut_character (p, back, data + size - p))
                len -= back;
              break;
            }
        }
    }

  return g_utf8_make_valid (data, (gssize) len);
}

/* "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|"
 * like hexdump -C, rows of 16 bytes, no newline after the last row. */
static char *
format_hex (const guchar *data,
            gsize         len)
{
  /* 8 offset + 2 + 16 * 3 + 1 + 1 + 16 + 2 ('|' twice) + newline */
  GString *out = g_string_sized_new ((len / HEX_ROW_BYTES + 1) * 80);

  for (gsize row = 0; row < len; row += HEX_ROW_BYTES)
    {
      gsize n = MIN (HEX_ROW_BYTES, len - row);

      if (row > 0)
        g_string_append_c (out, '\n');

      g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x ", row);
      for (gsize i = 0; i < HEX_ROW_BYTES; i++)
        {
          if (i == 8)
            g_string_append_c (out, ' ');
          if (i < n)
            {
              g_string_append_c (out, ' ');
              g_string_append_c (out, hex_digits[data[row + i] >> 4]);
              g_string_append_c (out, hex_digits[data[row + i] & 0xf]);
            }
          else
            {
              g_string_append (out, "   ");
            }
        }

      g_string_append (out, "  |");
      for (gsize i = 0; i < n; i++)
        {
          guchar c = data[row + i];
          g_string_append_c (out, (c >= 0x20 && c < 0x7f) ? (char) c : '.');
        }
      g_string_append_c (out, '|');
    }

  return g_string_free (out, FALSE);
}

static char *
format_base64 (const guchar *data,
               gsize         len)
{
  g_autofree char *encoded = g_base64_encode (data, len);
  gsize encoded_len = strlen (encoded);
  GString *out = g_string_sized_new (encoded_len + encoded_len / BASE64_LINE_LENGTH + 1);

  for (gsize i = 0; i < encoded_len; i += BASE64_LINE_LENGTH)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_len (out, encoded + i, MIN (BASE64_LINE_LENGTH, encoded_len - i));
    }

  return g_string_free (out, FALSE);
}

AntennaPayloadFormat
antenna_payload_detect (GBytes *payload,
                        gsize   max_bytes)
{
  const char *data;
  gsize size;
  gsize len;
  gboolean cut;

  g_return_val_if_fail (payload != NULL, ANTENNA_PAYLOAD_FORMAT_HEX);

  data = payload_data (payload, &size);
  len = MIN (size, max_bytes);
  cut = len < size;

  if (size == 0)
    return ANTENNA_PAYLOAD_FORMAT_TEXT;

  if (utf8_prefix_length (data, len, size) >= 0)
    {
      const char *p = data;
      const char *end = data + len;

      while (p < end && is_json_space (*p))
        p++;

      if (p < end && (*p == '{' || *p == '['))
        {
          /* A payload too big to parse is taken for JSON on its first
           * character and a UTF-8 prefix. */
          if (cut || is_json_container (data, len))
            return ANTENNA_PAYLOAD_FORMAT_JSON;
        }
    }

  if (is_text (data, len, size))
    return ANTENNA_PAYLOAD_FORMAT_TEXT;

  return ANTENNA_PAYLOAD_FORMAT_HEX;
}

char *
antenna_payload_format (GBytes               *payload,
                        AntennaPayloadFormat  format,
                        gsize                 max_bytes,
                        gboolean             *truncated,
                        GError              **json_error)
{
  const char *data;
  gsize size;
  gsize len;
  gboolean cut;
  gboolean auto_format = format == ANTENNA_PAYLOAD_FORMAT_AUTO;

  if (truncated != NULL)
    *truncated = FALSE;

  g_return_val_if_fail (payload != NULL, g_strdup (""));
  g_return_val_if_fail (json_error == NULL || *json_error == NULL, g_strdup (""));

  data = payload_data (payload, &size);
  len = MIN (size, max_bytes);
  cut = len < size;

  if (truncated != NULL)
    *truncated = cut;

  if (auto_format)
    format = antenna_payload_detect (payload, max_bytes);

  switch (format)
    {
    case ANTENNA_PAYLOAD_FORMAT_JSON:
      if (cut)
        {
          /* Detected on its first bytes: shown as text, not an error. */
          if (!auto_format)
            {
              g_autofree char *size_text = g_format_size (size);
              g_autofree char *limit_text = g_format_size (max_bytes);

              g_set_error (json_error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                           _("The payload is too large to be shown as JSON (%s, more than %s); its start is shown as text."),
                           size_text, limit_text);
            }
        }
      else
        {
          g_autoptr(JsonNode) root = NULL;
          g_autoptr(GError) local_error = NULL;

          if (json_parse (data, len, &root, &local_error))
            {
              gboolean pretty_cut = FALSE;
              char *pretty;

              if (root == NULL)
                {
                  set_json_error_blank (json_error);
                  return format_text (data, len, size);
                }

              pretty = json_pretty (data, len, len * JSON_PRETTY_GROWTH + JSON_PRETTY_SLACK,
                                    &pretty_cut);
              if (pretty_cut && truncated != NULL)
                *truncated = TRUE;
              return pretty;
            }

          g_propagate_error (json_error, g_steal_pointer (&local_error));
        }
      return format_text (data, len, size);

    case ANTENNA_PAYLOAD_FORMAT_HEX:
      return format_hex ((const guchar *) data, len);

    case ANTENNA_PAYLOAD_FORMAT_BASE64:
      /* Whole 3-byte groups when cut, so that the text decodes. */
      if (cut)
        len -= len % 3;
      return format_base64 ((const guchar *) data, len);

    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
    default:
      return format_text (data, len, size);
    }
}

char *
antenna_payload_preview_line (GBytes *payload,
                              guint   max_chars)
{
  const char *data;
  gsize size;
  gsize len;
  gboolean cut;
  GString *out;
  guint n_chars = 0;
  gboolean more = FALSE;

  g_return_val_if_fail (payload != NULL, g_strdup (""));

  if (max_chars == 0)
    return g_strdup ("");

  data = payload_data (payload, &size);
  /* Enough bytes for max_chars characters of up to 4 bytes, and some
   * white space that collapses. */
  len = MIN (size, (gsize) max_chars * 8 + 64);
  cut = len < size;
  out = g_string_sized_new (MIN (len, (gsize) max_chars * 4) + 8);

  if (is_text (data, len, size))
    {
      const char *end = data + utf8_prefix_length (data, len, size);
      gboolean pending_space = FALSE;

      for (const char *p = data; p < end; p = g_utf8_next_char (p))
        {
          gunichar ch = (guchar) *p;
          gboolean blank;

          /* ASCII, most of what is ever previewed, without Unicode tables. */
          if (ch < 0x80)
            blank = g_ascii_isspace (ch) || g_ascii_iscntrl (ch);
          else
            {
              ch = g_utf8_get_char (p);
              blank = g_unichar_isspace (ch) || g_unichar_iscntrl (ch);
            }

          if (blank)
            {
              pending_space = out->len > 0;
              continue;
            }

          if (n_chars + (pending_space ? 1 : 0) + 1 > max_chars)
            {
              more = TRUE;
              break;
            }

          if (pending_space)
            {
              g_string_append_c (out, ' ');
              n_chars++;
              pending_space = FALSE;
            }
          if (ch < 0x80)
            g_string_append_c (out, (char) ch);
          else
            g_string_append_unichar (out, ch);
          n_chars++;
        }

      if (cut)
        more = TRUE;
    }
  else
    {
      const guchar *bytes = (const guchar *) data;
      gsize n_bytes = len;

      /* "00 01 ff", or as many bytes as fit before the ellipsis: "00 01…" */
      if (cut || len * 3 > (gsize) max_chars + 1)
        {
          n_bytes = MIN (len, max_chars / 3);
          more = TRUE;
        }

      for (gsize i = 0; i < n_bytes; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, hex_digits[bytes[i] >> 4]);
          g_string_append_c (out, hex_digits[bytes[i] & 0xf]);
        }

      if (more)
        {
          g_string_append (out, "…");
          return g_string_free (out, FALSE);
        }
    }

  if (more)
    {
      /* Room for the ellipsis: drop characters until it fits, and the
       * space before it. */
      while (n_chars + 1 > max_chars && out->len > 0)
        {
          const char *last = g_utf8_find_prev_char (out->str, out->str + out->len);

          g_string_truncate (out, last - out->str);
          n_chars--;
        }
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        {
          g_string_truncate (out, out->len - 1);
          n_chars--;
        }
      g_string_append (out, "…");
    }

  return g_string_free (out, FALSE);
}

/* The character at @p, for an error message: “g”, or U+0007 when it does
 * is invisible. */
static char *
describe_char (const char *p)
{
  gunichar ch = g_utf8_get_char (p);

  if (g_unichar_isgraph (ch))
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (ch, buf);
      return g_strdup_printf ("“%s”", buf);
    }

  return g_strdup_printf ("U+%04X", ch);
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Characters [start, end) of the input that are wrong. */
static void
set_span (AntennaPayloadSpan *bad,
          guint               start,
          guint               end)
{
  if (bad != NULL)
    {
      bad->start = start;
      bad->end = end;
    }
}

static GBytes *
decode_hex (const char         *input,
            gsize               len,
            AntennaPayloadSpan *bad,
            GError            **error)
{
  guint high_position = 0;
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len / 2);
  const char *end = input + len;
  gboolean token_start = TRUE;
  guint position = 0;
  int high = -1;

  for (const char *p = input; p < end; p = g_utf8_next_char (p))
    {
      int value;

      position++;

      if (g_ascii_isspace (*p))
        {
          token_start = TRUE;
          continue;
        }

      /* "0x" at the start of a group of digits: "0x48656c6c6f", "0x48 0x65". */
      if (token_start && high < 0 && *p == '0' && p + 1 < end && (p[1] == 'x' || p[1] == 'X'))
        {
          p++;
          position++;
          token_start = FALSE;
          continue;
        }
      token_start = FALSE;

      value = hex_value (*p);
      if (value < 0)
        {
          g_autofree char *what = describe_char (p);

          /* Translators: %s is a quoted character, “g”, or a code point, U+0007 */
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       _("Invalid hex digit %s at position %u."), what, position);
          set_span (bad, position - 1, position);
          return NULL;
        }

      if (high < 0)
        {
          high = value;
          high_position = position;
        }
      else
        {
          guint8 byte = (guint8) (high << 4 | value);

          g_byte_array_append (out, &byte, 1);
          high = -1;
        }
    }

  if (high >= 0)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("Odd number of hex digits: each byte takes two."));
      set_span (bad, high_position - 1, high_position);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static inline int
base64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Strict Base64 (RFC 4648, section 4): the standard alphabet, "=" padding
 * to a multiple of four characters and only at the end; white space is
 * ignored. g_base64_decode() is lenient and skips what it does not know. */
static GBytes *
decode_base64 (const char         *input,
               gsize               len,
               AntennaPayloadSpan *bad,
               GError            **error)
{
  guint last_position = 0;
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len / 4 * 3 + 3);
  const char *end = input + len;
  guint position = 0;
  guint n_chars = 0;
  guint n_padding = 0;
  guint first_padding_position = 0;
  guint32 group = 0;
  guint group_len = 0;

  for (const char *p = input; p < end; p = g_utf8_next_char (p))
    {
      int value;

      position++;

      if (g_ascii_isspace (*p))
        continue;

      n_chars++;
      last_position = position;

      if (*p == '=')
        {
          if (n_padding++ == 0)
            first_padding_position = position;
          continue;
        }

      value = base64_value (*p);
      if (value < 0)
        {
          g_autofree char *what = describe_char (p);

          /* Translators: %s is a quoted character, “*”, or a code point, U+0007 */
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       _("Invalid Base64 character %s at position %u."), what, position);
          set_span (bad, position - 1, position);
          return NULL;
        }

      if (n_padding > 0)
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       _("The Base64 text goes on after its “=” padding (position %u)."),
                       position);
          set_span (bad, first_padding_position - 1, position);
          return NULL;
        }

      group = group << 6 | (guint32) value;
      if (++group_len == 4)
        {
          guint8 bytes[3] = { group >> 16, group >> 8, group };

          g_byte_array_append (out, bytes, 3);
          group = 0;
          group_len = 0;
        }
    }

  if (n_chars % 4 != 0)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                   _("The Base64 text is incomplete: it has %u characters, not a multiple of four (is “=” padding missing?)."),
                   n_chars);
      set_span (bad, last_position - 1, last_position);
      return NULL;
    }

  /* Here group_len + n_padding == 4, or both are 0. */
  if (n_padding > 2 || (n_padding > 0 && group_len + n_padding != 4))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                   _("Too much “=” padding in the Base64 text (position %u)."),
                   first_padding_position);
      set_span (bad, first_padding_position - 1, last_position);
      return NULL;
    }

  if (group_len == 3)
    {
      guint8 bytes[2] = { group >> 10, group >> 2 };

      g_byte_array_append (out, bytes, 2);
    }
  else if (group_len == 2)
    {
      guint8 byte = (guint8) (group >> 4);

      g_byte_array_append (out, &byte, 1);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
antenna_payload_validate_json (const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (data == NULL)
    data = "";
  len = length < 0 ? strlen (data) : (gsize) length;

  if (!json_parse (data, len, &root, error))
    return FALSE;

  if (root == NULL)
    {
      set_json_error_blank (error);
      return FALSE;
    }

  return TRUE;
}

JsonNode *
antenna_payload_parse_json (const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!json_parse (data != NULL ? data : "", length, &root, error))
    return NULL;

  if (root == NULL)
    {
      set_json_error_blank (error);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* The character offset of (1-based) @line and @column in @data. */
static guint
char_offset (const char *data,
             gsize       len,
             guint       line,
             guint       column)
{
  const char *end = data + len;
  const char *p = data;
  guint offset = 0;

  for (guint l = 1; l < line && p < end; p = g_utf8_next_char (p), offset++)
    if (*p == '\n')
      l++;
  for (guint c = 1; c < column && p < end && *p != '\n'; c++, p = g_utf8_next_char (p))
    offset++;

  return offset;
}

GBytes *
antenna_payload_decode (const char           *input,
                        gssize                length,
                        AntennaPayloadFormat  format,
                        GError              **error)
{
  return antenna_payload_decode_span (input, length, format, NULL, error);
}

GBytes *
antenna_payload_decode_span (const char           *input,
                             gssize                length,
                             AntennaPayloadFormat  format,
                             AntennaPayloadSpan   *span,
                             GError              **error)
{
  const char *bad = NULL;
  gsize len;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    input = "";

  len = length < 0 ? strlen (input) : (gsize) length;

  if (format == ANTENNA_PAYLOAD_FORMAT_TEXT || format == ANTENNA_PAYLOAD_FORMAT_AUTO)
    return g_bytes_new (input, len);

  set_span (span, G_MAXUINT, G_MAXUINT);

  if (format == ANTENNA_PAYLOAD_FORMAT_JSON)
    {
      g_autoptr(JsonNode) root = NULL;
      guint where[2] = { 0, 0 };

      gboolean parsed = json_parse_at (input, len, &root, where, error);

      if (parsed && root != NULL)
        return g_bytes_new (input, len);

      if (parsed)
        set_json_error_blank (error);
      else if (where[0] > 0)
        {
          guint offset = char_offset (input, len, where[0], where[1]);

          set_span (span, offset, offset + 1);
        }
      return NULL;
    }

  /* Positions count characters, so the input must be UTF-8. */
  if (!g_utf8_validate_len (input, len, &bad))
    {
      if (*bad == '\0')
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                     _("The input contains a NUL character (byte %u)."),
                     (guint) (bad - input) + 1);
      else
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                     _("The input is not valid UTF-8 (byte %u)."),
                     (guint) (bad - input) + 1);
      return NULL;
    }

  switch (format)
    {
    case ANTENNA_PAYLOAD_FORMAT_HEX:
      return decode_hex (input, len, span, error);
    case ANTENNA_PAYLOAD_FORMAT_BASE64:
      return decode_base64 (input, len, span, error);
    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
    case ANTENNA_PAYLOAD_FORMAT_JSON:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
antenna_payload_format_size (guint64 size)
{
  /* g_format_size() already says "999 bytes" under 1 kB, and "1.5 MB". */
  return g_format_size (size);
}

char *
antenna_payload_encode (GBytes               *payload,
                        AntennaPayloadFormat  format,
                        GError              **error)
{
  const guchar *data;
  const char *bad = NULL;
  gsize size;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = (const guchar *) payload_data (payload, &size);

  switch (format)
    {
    case ANTENNA_PAYLOAD_FORMAT_HEX:
      {
        GString *out = g_string_sized_new (size * 3 + 1);

        for (gsize i = 0; i < size; i++)
          {
            if (i > 0)
              g_string_append_c (out, ' ');
            g_string_append_c (out, hex_digits[data[i] >> 4]);
            g_string_append_c (out, hex_digits[data[i] & 0xf]);
          }
        return g_string_free (out, FALSE);
      }

    case ANTENNA_PAYLOAD_FORMAT_BASE64:
      return g_base64_encode (data, size);

    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
    case ANTENNA_PAYLOAD_FORMAT_JSON:
    default:
      if (!g_utf8_validate_len ((const char *) data, size, &bad))
        {
          if (*bad == '\0')
            g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                         _("The payload contains a NUL character (byte %u): edit it as hex or Base64."),
                         (guint) (bad - (const char *) data) + 1);
          else
            g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                         _("The payload is not valid UTF-8 (byte %u): edit it as hex or Base64."),
                         (guint) (bad - (const char *) data) + 1);
          return NULL;
        }
      return g_strndup ((const char *) data, size);
    }
}
