/* antenna-cli-output.c: received messages on standard output
 *
 * raw is what mosquitto_sub prints (the payload and a newline) and costs
 * as little; text is mosquitto_sub -v's "TOPIC PAYLOAD", with a payload
 * that is not UTF-8 in hex; json is one JSON object a line, which jq and
 * any JSON parser read: the payload as text when it is valid UTF-8 (no
 * NUL), else Base64 with "payload-encoding" saying which; the MQTT 5
 * properties as the app saves them (antenna_properties_to_json) plus the
 * subscription identifiers; the time of arrival in ISO 8601, UTC, to the
 * microsecond.
 *
 * With --decode (antenna-cli-decoding.h), text shows what the app's
 * inspector shows: text, JSON (indented) and hex as antenna-payload.h lays
 * them out, any other decoder's value as indented JSON; json adds the
 * value as JSON ("decoded") and the decoder's id ("decoder"), or the
 * core's sentence ("decode-error"), and the notes of a decode that a
 * budget stopped ("decode-notes"). A payload that does not decode is
 * shown as without --decode, its error on standard error: nothing lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "antenna-cli-decoding.h"
#include "antenna-cli-output.h"
#include "antenna-cli-report.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-properties.h"

/* Lines wait in one buffer and go out in one write(2) when a batch ends
 * or the buffer holds this much; a payload this large or larger is
 * written as it is, without a copy. */
#define OUTPUT_BUFFER_SIZE (1024 * 1024)

struct _AntennaCliOutput
{
  int                 fd;
  GString            *pending;    /* the batch's lines, not yet written */
  AntennaCliFormat    format;
  AntennaCliDecoding *decoding;   /* borrowed; NULL: no --decode */
  gboolean            newline;
  JsonGenerator      *generator;
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

AntennaCliOutput *
antenna_cli_output_new (int                 fd,
                        AntennaCliFormat    format,
                        AntennaCliDecoding *decoding,
                        gboolean            newline)
{
  AntennaCliOutput *self = g_new0 (AntennaCliOutput, 1);

  self->fd = fd;
  self->pending = g_string_sized_new (OUTPUT_BUFFER_SIZE);
  self->format = format;
  self->decoding = decoding;
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
  g_string_free (self->pending, TRUE);
  g_free (self);
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* Appends @length bytes to the batch's buffer; FALSE with errno set when
 * writing fails. */
static gboolean
put (AntennaCliOutput *self,
     const char       *data,
     gsize             length)
{
  if (length >= OUTPUT_BUFFER_SIZE)
    return antenna_cli_output_flush (self) && write_all (self->fd, data, length);

  g_string_append_len (self->pending, data, (gssize) length);
  return self->pending->len < OUTPUT_BUFFER_SIZE || antenna_cli_output_flush (self);
}

static gboolean
put_string (AntennaCliOutput *self,
            const char       *text)
{
  return put (self, text, strlen (text));
}

static gboolean
put_newline (AntennaCliOutput *self)
{
  return put (self, "\n", 1);
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

/* The formats of antenna-payload.h, shown as the app's inspector lays
 * them out; -1 for the other decoders. */
static int
payload_format_of (const AntennaDecoder *decoder)
{
  static const struct {
    const char           *id;
    AntennaPayloadFormat  format;
  } formats[] = {
    { ANTENNA_DECODER_TEXT, ANTENNA_PAYLOAD_FORMAT_TEXT },
    { ANTENNA_DECODER_JSON, ANTENNA_PAYLOAD_FORMAT_JSON },
    { ANTENNA_DECODER_HEX, ANTENNA_PAYLOAD_FORMAT_HEX },
    { ANTENNA_DECODER_BASE64, ANTENNA_PAYLOAD_FORMAT_BASE64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (antenna_decoder_get_id (decoder), formats[i].id))
      return formats[i].format;
  return -1;
}

/* @message's payload through --decode; NULL (and the core's sentence on
 * standard error, after the topic) when it does not decode. */
static AntennaDecoded *
decode_message (AntennaCliOutput  *self,
                AntennaMessage    *message,
                GError           **error)
{
  return antenna_cli_decoding_decode (self->decoding, antenna_message_get_topic (message),
                                      antenna_message_get_payload (message), message, error);
}

static void
warn_decode_error (AntennaCliOutput *self,
                   AntennaMessage   *message,
                   const GError     *error)
{
  /* The lines before it first, where a terminal shows both. */
  antenna_cli_output_flush (self);
  /* "TOPIC: why", the core's sentence. */
  antenna_cli_warn ("%s: %s", antenna_message_get_topic (message), error->message);
}

static void
warn_notes (AntennaCliOutput *self,
            AntennaMessage   *message,
            AntennaDecoded   *decoded)
{
  const char * const *notes = antenna_decoded_get_notes (decoded);

  if (notes != NULL && notes[0] != NULL)
    antenna_cli_output_flush (self);
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    antenna_cli_warn ("%s: %s", antenna_message_get_topic (message), notes[i]);
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
  g_autoptr(AntennaDecoded) decoded = NULL;
  g_autoptr(GError) decode_error = NULL;
  g_autofree char *decoded_json = NULL;

  if (self->decoding != NULL)
    {
      decoded = decode_message (self, message, &decode_error);
      if (decoded != NULL)
        decoded_json = antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);
    }

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

  if (decoded != NULL)
    {
      const char * const *notes = antenna_decoded_get_notes (decoded);

      json_builder_set_member_name (builder, "decoder");
      json_builder_add_string_value (builder, antenna_decoder_get_id (antenna_decoded_get_decoder (decoded)));
      if (notes != NULL && notes[0] != NULL)
        {
          json_builder_set_member_name (builder, "decode-notes");
          json_builder_begin_array (builder);
          for (guint i = 0; notes[i] != NULL; i++)
            json_builder_add_string_value (builder, notes[i]);
          json_builder_end_array (builder);
        }
    }
  else if (decode_error != NULL)
    {
      json_builder_set_member_name (builder, "decode-error");
      json_builder_add_string_value (builder, decode_error->message);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (self->generator, root);
  line = json_generator_to_data (self->generator, &length);
  json_generator_set_root (self->generator, NULL);

  if (decoded_json == NULL)
    return put (self, line, length) && put_newline (self);

  /* The value goes in as the core writes it: through a JsonNode, json-glib
   * would turn integers past G_MAXINT64 into doubles. The line ends in the
   * object's "}". */
  g_assert (length > 0 && line[length - 1] == '}');
  return put (self, line, length - 1) &&
         put_string (self, ",\"decoded\":") &&
         put_string (self, decoded_json) &&
         put_string (self, "}\n");
}

/* "[12 bytes] 00 ff …": a payload that is not text. */
static char *
format_binary (GBytes *payload)
{
  g_autofree char *hex = antenna_payload_encode (payload, ANTENNA_PAYLOAD_FORMAT_HEX, NULL);
  g_autofree char *size_text = antenna_payload_format_size (g_bytes_get_size (payload));

  /* Translators: a payload that is not text, in hex: "[12 bytes] 00 ff …". */
  return g_strdup_printf (_("[%s] %s"), size_text, hex);
}

/* What --decode shows of @message's payload; NULL when it does not decode
 * (said on standard error). */
static char *
format_decoded (AntennaCliOutput *self,
                AntennaMessage   *message)
{
  GBytes *payload = antenna_message_get_payload (message);
  const AntennaDecoder *decoder = antenna_cli_decoding_choose (self->decoding, antenna_message_get_topic (message),
                                                               payload);
  int format = payload_format_of (decoder);
  g_autoptr(AntennaDecoded) decoded = NULL;
  g_autoptr(GError) error = NULL;

  if (format >= 0)
    return antenna_payload_format (payload, (AntennaPayloadFormat) format, g_bytes_get_size (payload), NULL, NULL);

  decoded = decode_message (self, message, &error);
  if (decoded == NULL)
    {
      warn_decode_error (self, message, error);
      return NULL;
    }
  warn_notes (self, message, decoded);
  return antenna_value_to_json (antenna_decoded_get_value (decoded), TRUE);
}

static gboolean
write_text (AntennaCliOutput *self,
            AntennaMessage   *message)
{
  GBytes *payload = antenna_message_get_payload (message);
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);
  g_autofree char *shown = NULL;

  if (!put_string (self, antenna_message_get_topic (message)) || !put (self, " ", 1))
    return FALSE;

  if (self->decoding != NULL)
    shown = format_decoded (self, message);
  if (shown == NULL && is_utf8 (data, size))
    return put (self, data, size) && put_newline (self);
  if (shown == NULL)
    shown = format_binary (payload);

  return put_string (self, shown) && put_newline (self);
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

        return put (self, data, size) && (!self->newline || put_newline (self));
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
  gboolean ok = write_all (self->fd, self->pending->str, self->pending->len);

  g_string_truncate (self->pending, 0);
  return ok;
}
