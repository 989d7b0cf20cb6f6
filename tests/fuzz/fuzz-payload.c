/* fuzz-payload.c: libFuzzer harness for payload detection, formatting and
 * decoding
 *
 * Input: one byte choosing max_bytes, one choosing max_chars, then the
 * payload, which is also fed to the decoders as typed input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-payload.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const AntennaPayloadFormat all_formats[] = {
  ANTENNA_PAYLOAD_FORMAT_AUTO,
  ANTENNA_PAYLOAD_FORMAT_TEXT,
  ANTENNA_PAYLOAD_FORMAT_JSON,
  ANTENNA_PAYLOAD_FORMAT_HEX,
  ANTENNA_PAYLOAD_FORMAT_BASE64,
};

/* Decodes @text in @format, which must succeed and give @expected. */
static void
assert_decodes_to (const char           *text,
                   AntennaPayloadFormat  format,
                   GBytes               *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = antenna_payload_decode (text, -1, format, &error);

  g_assert_no_error (error);
  g_assert (bytes != NULL);
  g_assert (g_bytes_equal (bytes, expected));
}

/* Encodings of @payload a person could type, and what they decode to. */
static void
check_round_trips (GBytes *payload)
{
  const guchar *bytes;
  gsize size;
  g_autofree char *hex = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *wrapped = NULL;
  GString *compact = g_string_new ("0x");
  GString *prefixed = g_string_new ("\n");

  bytes = g_bytes_get_data (payload, &size);

  hex = antenna_payload_encode (payload, ANTENNA_PAYLOAD_FORMAT_HEX, NULL);
  assert_decodes_to (hex, ANTENNA_PAYLOAD_FORMAT_HEX, payload);

  /* "0x48656C" and "\n0x48\t0x65\n0x6c" */
  for (gsize i = 0; i < size; i++)
    {
      g_string_append_printf (compact, "%02X", bytes[i]);
      g_string_append_printf (prefixed, "0x%02x%s", bytes[i], i % 3 == 0 ? "\t" : "\r\n");
    }
  assert_decodes_to (compact->str, ANTENNA_PAYLOAD_FORMAT_HEX, payload);
  assert_decodes_to (prefixed->str, ANTENNA_PAYLOAD_FORMAT_HEX, payload);
  g_string_free (compact, TRUE);
  g_string_free (prefixed, TRUE);

  base64 = antenna_payload_encode (payload, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL);
  assert_decodes_to (base64, ANTENNA_PAYLOAD_FORMAT_BASE64, payload);

  /* What the message view shows, in lines of 76, decodes back. */
  wrapped = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_BASE64, G_MAXSIZE, NULL, NULL);
  assert_decodes_to (wrapped, ANTENNA_PAYLOAD_FORMAT_BASE64, payload);
}

static void
check_format (GBytes               *payload,
              AntennaPayloadFormat  format,
              gsize                 max_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean truncated = -1;
  gsize size = g_bytes_get_size (payload);
  gsize len = MIN (size, max_bytes);

  text = antenna_payload_format (payload, format, max_bytes, &truncated, &error);
  g_assert (text != NULL);
  g_assert (g_utf8_validate (text, -1, NULL));
  g_assert (truncated == TRUE || truncated == FALSE);

  /* Bounded by what was looked at, never by the payload. */
  g_assert (strlen (text) <= 16 * len + 1024 * 1024);
  if (format == ANTENNA_PAYLOAD_FORMAT_HEX)
    g_assert (strlen (text) <= (len / 16 + 1) * 79);
  if (format != ANTENNA_PAYLOAD_FORMAT_JSON && format != ANTENNA_PAYLOAD_FORMAT_AUTO)
    g_assert (truncated == (size > max_bytes));
  if (size > max_bytes)
    g_assert (truncated);

  if (error != NULL)
    {
      g_assert (format == ANTENNA_PAYLOAD_FORMAT_JSON);
      g_assert (error->domain == ANTENNA_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }

  /* Pretty JSON is JSON, and pretty-printing it again changes nothing. */
  if (format == ANTENNA_PAYLOAD_FORMAT_JSON && error == NULL && !truncated && text[0] != '\0')
    {
      g_autoptr(GBytes) pretty = g_bytes_new (text, strlen (text));
      g_autoptr(GError) again_error = NULL;
      g_autofree char *again = NULL;
      gboolean again_truncated = FALSE;

      again = antenna_payload_format (pretty, ANTENNA_PAYLOAD_FORMAT_JSON, G_MAXSIZE,
                                      &again_truncated, &again_error);
      g_assert_no_error (again_error);
      if (!again_truncated)
        g_assert_cmpstr (again, ==, text);
    }

  /* Valid text is shown as it is. */
  if (format == ANTENNA_PAYLOAD_FORMAT_TEXT && size <= max_bytes &&
      g_utf8_validate_len (g_bytes_get_data (payload, NULL), size, NULL))
    g_assert (strlen (text) == size && (size == 0 || memcmp (text, g_bytes_get_data (payload, NULL), size) == 0));
}

static void
check_decode (const char           *input,
              gsize                 length,
              AntennaPayloadFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = antenna_payload_decode (input, (gssize) length, format, &error);

  g_assert ((bytes == NULL) != (error == NULL));
  if (error != NULL)
    {
      g_assert (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD));
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  switch (format)
    {
    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
    case ANTENNA_PAYLOAD_FORMAT_JSON:
      /* Sent as typed. */
      g_assert (g_bytes_get_size (bytes) == length);
      g_assert (length == 0 || memcmp (g_bytes_get_data (bytes, NULL), input, length) == 0);
      if (format == ANTENNA_PAYLOAD_FORMAT_JSON)
        {
          g_autoptr(GError) json_error = NULL;
          g_autofree char *text = antenna_payload_format (bytes, ANTENNA_PAYLOAD_FORMAT_JSON,
                                                          G_MAXSIZE, NULL, &json_error);
          g_assert_no_error (json_error);
          g_assert (text != NULL);
        }
      break;

    case ANTENNA_PAYLOAD_FORMAT_HEX:
      /* At most half as many bytes as characters. */
      g_assert (g_bytes_get_size (bytes) <= length / 2);
      check_round_trips (bytes);
      break;

    case ANTENNA_PAYLOAD_FORMAT_BASE64:
      {
        /* Strict input decodes as GLib's lenient decoder decodes it. */
        g_autofree char *copy = g_strndup (input, length);
        gsize glib_len = 0;
        g_autofree guchar *glib = g_base64_decode (copy, &glib_len);
        g_autoptr(GBytes) glib_bytes = g_bytes_new (glib, glib_len);

        g_assert (g_bytes_equal (bytes, glib_bytes));
        check_round_trips (bytes);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) payload = NULL;
  AntennaPayloadFormat detected;
  gsize max_bytes;
  guint max_chars;
  const char *input;
  gsize length;

  if (size < 2)
    return 0;

  max_bytes = (data[0] & 0x80) ? G_MAXSIZE : (gsize) (data[0] & 0x7f) * 8;
  max_chars = data[1];
  input = (const char *) data + 2;
  length = size - 2;
  payload = g_bytes_new (input, length);

  detected = antenna_payload_detect (payload, max_bytes);
  g_assert (detected == ANTENNA_PAYLOAD_FORMAT_TEXT ||
            detected == ANTENNA_PAYLOAD_FORMAT_JSON ||
            detected == ANTENNA_PAYLOAD_FORMAT_HEX);

  /* What is detected as JSON, whole, formats as JSON without error. */
  if (detected == ANTENNA_PAYLOAD_FORMAT_JSON && length <= max_bytes)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_JSON,
                                                      max_bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert (text != NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (all_formats); i++)
    {
      check_format (payload, all_formats[i], max_bytes);
      check_decode (input, length, all_formats[i]);
    }

  {
    g_autofree char *line = antenna_payload_preview_line (payload, max_chars);
    g_autofree char *size_text = antenna_payload_format_size (length);

    g_assert (g_utf8_validate (line, -1, NULL));
    g_assert (g_utf8_strlen (line, -1) <= max_chars);
    for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
      g_assert (!g_unichar_iscntrl (g_utf8_get_char (p)));
    g_assert (size_text != NULL && size_text[0] != '\0');
  }

  check_round_trips (payload);

  return 0;
}
