/* antenna-cli-output.c: received messages on standard output
 *
 * raw is what mosquitto_sub prints (the payload and a newline) and costs
 * as little; text is mosquitto_sub -v's "TOPIC PAYLOAD", with a payload
 * that is not UTF-8 in hex, or shown through antenna-payload.h with
 * --decode; json is one JSON object a line, which jq and any JSON parser
 * read: the payload as text when it is valid UTF-8 (no NUL), else Base64
 * with "payload-encoding" saying which; the MQTT 5 properties as the app
 * saves them (antenna_properties_to_json) plus the subscription
 * identifiers; the time of arrival in ISO 8601, UTC, to the microsecond.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "antenna-cli-output.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-properties.h"

struct _AntennaCliOutput
{
  FILE             *stream;
  AntennaCliFormat  format;
  int               decode;
  gboolean          newline;
  JsonGenerator    *generator;
};

gboolean
antenna_cli_format_parse (const char        *text,
                          AntennaCliFormat  *format,
                          GError           **error)
{
  if (g_str_equal (text, "text"))
    *format = ANTENNA_CLI_FORMAT_TEXT;
  else if (g_str_equal (text, "json"))
    *format = ANTENNA_CLI_FORMAT_JSON;
  else if (g_str_equal (text, "raw"))
    *format = ANTENNA_CLI_FORMAT_RAW;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The output format is text, json or raw, not “%s”."), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
antenna_cli_decode_parse (const char            *text,
                          AntennaPayloadFormat  *format,
                          GError               **error)
{
  static const struct {
    const char           *name;
    AntennaPayloadFormat  format;
  } formats[] = {
    { "auto", ANTENNA_PAYLOAD_FORMAT_AUTO },
    { "text", ANTENNA_PAYLOAD_FORMAT_TEXT },
    { "json", ANTENNA_PAYLOAD_FORMAT_JSON },
    { "hex", ANTENNA_PAYLOAD_FORMAT_HEX },
    { "base64", ANTENNA_PAYLOAD_FORMAT_BASE64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (text, formats[i].name))
      {
        *format = formats[i].format;
        return TRUE;
      }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--decode takes auto, text, json, hex or base64, not “%s”."), text);
  return FALSE;
}

AntennaCliOutput *
antenna_cli_output_new (FILE             *stream,
                        AntennaCliFormat  format,
                        int               decode,
                        gboolean          newline)
{
  AntennaCliOutput *self = g_new0 (AntennaCliOutput, 1);

  self->stream = stream;
  self->format = format;
  self->decode = decode;
  self->newline = newline;
  if (format == ANTENNA_CLI_FORMAT_JSON)
    self->generator = json_generator_new ();

  return self;
}

void
antenna_cli_output_free (AntennaCliOutput *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->generator);
  g_free (self);
}

char *
antenna_cli_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *seconds = NULL;

  if (time == NULL)
    return g_strdup ("");

  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06dZ", seconds, (int) (time_us % G_USEC_PER_SEC));
}

/* UTF-8 without NUL: what a JSON string (and a terminal) can hold as is. */
static gboolean
is_utf8 (const char *data,
         gsize       size)
{
  return size == 0 || (size <= G_MAXSSIZE && g_utf8_validate_len (data, size, NULL));
}

static gboolean
write_json (AntennaCliOutput *self,
            AntennaMessage   *message)
{
  GBytes *payload = antenna_message_get_payload (message);
  AntennaProperties *props = antenna_message_get_properties (message);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) properties = NULL;
  g_autofree char *time = antenna_cli_format_time (antenna_message_get_timestamp (message));
  g_autofree char *line = NULL;
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, antenna_message_get_topic (message));

  json_builder_set_member_name (builder, "payload");
  if (is_utf8 (data, size))
    {
      /* json-glib takes a NUL-terminated string: a payload is not one. */
      g_autofree char *text = size > 0 ? g_strndup (data, size) : g_strdup ("");

      json_builder_add_string_value (builder, text);
      json_builder_set_member_name (builder, "payload-encoding");
      json_builder_add_string_value (builder, "utf-8");
    }
  else
    {
      g_autofree char *base64 = g_base64_encode ((const guchar *) data, size);

      json_builder_add_string_value (builder, base64);
      json_builder_set_member_name (builder, "payload-encoding");
      json_builder_add_string_value (builder, "base64");
    }

  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, antenna_message_get_qos (message));
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, antenna_message_get_retain (message));
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);

  properties = antenna_properties_to_json (props);
  if (props->subscription_ids->len > 0)
    {
      JsonArray *ids = json_array_sized_new (props->subscription_ids->len);

      for (guint i = 0; i < props->subscription_ids->len; i++)
        json_array_add_int_element (ids, g_array_index (props->subscription_ids, guint32, i));
      json_object_set_array_member (json_node_get_object (properties), "subscription-identifiers", ids);
    }
  json_builder_set_member_name (builder, "properties");
  json_builder_add_value (builder, g_steal_pointer (&properties));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (self->generator, root);
  line = json_generator_to_data (self->generator, &length);
  json_generator_set_root (self->generator, NULL);

  return fwrite (line, 1, length, self->stream) == length && putc ('\n', self->stream) != EOF;
}

static gboolean
write_text (AntennaCliOutput *self,
            AntennaMessage   *message)
{
  GBytes *payload = antenna_message_get_payload (message);
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);
  g_autofree char *shown = NULL;

  if (fputs (antenna_message_get_topic (message), self->stream) == EOF ||
      putc (' ', self->stream) == EOF)
    return FALSE;

  if (self->decode >= 0)
    shown = antenna_payload_format (payload, (AntennaPayloadFormat) self->decode, size, NULL, NULL);
  else if (is_utf8 (data, size))
    return fwrite (data, 1, size, self->stream) == size && putc ('\n', self->stream) != EOF;
  else
    {
      g_autofree char *hex = antenna_payload_encode (payload, ANTENNA_PAYLOAD_FORMAT_HEX, NULL);
      g_autofree char *size_text = antenna_payload_format_size (size);

      /* Translators: a payload that is not text, in hex: "[12 bytes] 00 ff …". */
      shown = g_strdup_printf (_("[%s] %s"), size_text, hex);
    }

  return fputs (shown, self->stream) != EOF && putc ('\n', self->stream) != EOF;
}

gboolean
antenna_cli_output_write (AntennaCliOutput *self,
                          AntennaMessage   *message)
{
  switch (self->format)
    {
    case ANTENNA_CLI_FORMAT_RAW:
      {
        GBytes *payload = antenna_message_get_payload (message);
        gsize size;
        const char *data = g_bytes_get_data (payload, &size);

        if (fwrite (data, 1, size, self->stream) != size)
          return FALSE;
        return !self->newline || putc ('\n', self->stream) != EOF;
      }

    case ANTENNA_CLI_FORMAT_JSON:
      return write_json (self, message);

    case ANTENNA_CLI_FORMAT_TEXT:
    default:
      return write_text (self, message);
    }
}

gboolean
antenna_cli_output_flush (AntennaCliOutput *self)
{
  return fflush (self->stream) == 0;
}
