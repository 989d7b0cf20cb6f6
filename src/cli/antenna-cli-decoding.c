/* antenna-cli-decoding.c: payloads through the core's decoders
 *
 * One AntennaDecoderContext, as a connection page has: the profile's rules
 * and .proto files, or the --proto files instead. A chosen decoder gets a
 * rule of its own ("#" → the decoder, --message as its message type), so
 * that the core reads the options where it always does.
 *
 * The budgets are a command line's, not a view's: a person who pipes a
 * payload into "antenna-cli decode" wants all of it, so the bytes and
 * values are bounded by what MQTT can carry and the time by a minute; a
 * budget that is reached still says so (the decoded value's notes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-cli-decoding.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"
#include "antenna-profile.h"
#include "antenna-proto-schema.h"

struct _AntennaCliDecoding
{
  AntennaDecoderContext *context;
  const AntennaDecoder  *decoder;   /* NULL: auto */
  AntennaDecoderRule    *rule;      /* the chosen decoder's options */
};

static const AntennaDecodeLimits cli_limits = {
  .max_bytes = 268435455,           /* MQTT's largest packet */
  .max_nodes = 50 * 1000 * 1000,
  .max_depth = ANTENNA_DECODE_DEFAULT_MAX_DEPTH,
  .max_time_us = 60 * G_USEC_PER_SEC,
};

void
antenna_cli_decode_options_clear (AntennaCliDecodeOptions *self)
{
  g_clear_pointer (&self->decode, g_free);
  g_clear_pointer (&self->proto_files, g_strfreev);
  g_clear_pointer (&self->import_paths, g_strfreev);
  g_clear_pointer (&self->message_type, g_free);
  g_clear_pointer (&self->then, g_free);
}

void
antenna_cli_decode_options_add (AntennaCliDecodeOptions *self,
                                GOptionContext          *context)
{
  const GOptionEntry entries[] = {
    { "proto", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->proto_files,
      N_("A .proto file to read Protocol Buffers payloads by (repeat it for more)"), N_("FILE") },
    { "message", 0, 0, G_OPTION_ARG_STRING, &self->message_type,
      N_("The Protocol Buffers message type of the payloads, e.g. acme.sensors.Reading"), N_("TYPE") },
    { "proto-path", 'I', 0, G_OPTION_ARG_FILENAME_ARRAY, &self->import_paths,
      N_("A folder where the imports of the .proto files are looked for (repeat it for more)"), N_("DIR") },
    { "then", 0, 0, G_OPTION_ARG_STRING, &self->then,
      N_("After gzip or zlib, the decoder of the decompressed bytes (auto: JSON, text or hex, as the app detects them)"), N_("DECODER") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
antenna_cli_decode_options_has_schema (AntennaCliDecodeOptions *self)
{
  return self->proto_files != NULL || self->import_paths != NULL || self->message_type != NULL;
}

/* "text, json, hex, base64, msgpack, …": the ids, for an error. */
static char *
list_decoders (void)
{
  const AntennaDecoder * const *decoders = antenna_decoder_list ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; decoders[i] != NULL; i++)
    g_strv_builder_add (ids, antenna_decoder_get_id (decoders[i]));
  strv = g_strv_builder_end (ids);
  return g_strjoinv (", ", strv);
}

static const AntennaDecoder *
find_decoder (const char  *id,
              GError     **error)
{
  const AntennaDecoder *decoder = antenna_decoder_find (id);

  if (decoder == NULL)
    {
      g_autofree char *ids = list_decoders ();

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a decoder: auto, %s."), id, ids);
    }
  return decoder;
}

AntennaCliDecoding *
antenna_cli_decoding_new (AntennaCliDecodeOptions  *options,
                          AntennaProfile           *profile,
                          GError                  **error)
{
  g_autoptr(AntennaCliDecoding) self = g_new0 (AntennaCliDecoding, 1);
  const char *name = options->decode != NULL ? options->decode : "auto";
  const AntennaDecoder *then = NULL;

  if (!g_str_equal (name, "auto"))
    {
      self->decoder = find_decoder (name, error);
      if (self->decoder == NULL)
        return NULL;
      self->rule = antenna_decoder_rule_new ("#", name);
    }

  /* gzip, zlib: the decoder of what they decompress ("auto": detection). */
  if (options->then != NULL)
    {
      if (self->decoder == NULL || !antenna_decoder_is_compressed (self->decoder))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--then is for --decode gzip or zlib."));
          return NULL;
        }
      if (!g_str_equal (options->then, "auto"))
        {
          then = find_decoder (options->then, error);
          if (then == NULL)
            return NULL;
          antenna_decoder_rule_set_then (self->rule, options->then);
        }
    }

  if (options->message_type != NULL)
    {
      if ((then != NULL ? then : self->decoder) == NULL ||
          !g_str_equal (antenna_decoder_get_id (then != NULL ? then : self->decoder), ANTENNA_DECODER_PROTOBUF))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--message is for --decode protobuf."));
          return NULL;
        }
      antenna_decoder_rule_set_message_type (self->rule, options->message_type);
    }

  self->context = antenna_decoder_context_new (profile);
  if (options->proto_files != NULL)
    {
      g_autoptr(AntennaProtoSchema) schema = NULL;

      schema = antenna_proto_schema_load ((const char * const *) options->proto_files,
                                          (const char * const *) options->import_paths, error);
      if (schema == NULL)
        return NULL;
      antenna_decoder_context_set_schema (self->context, schema);
    }
  else if (options->import_paths != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("-I is for --proto."));
      return NULL;
    }

  /* A message type the schema does not have: said once, before any payload. */
  if (options->message_type != NULL)
    {
      const char * const *files = profile != NULL ? antenna_profile_get_proto_files (profile) : NULL;
      AntennaProtoSchema *schema;

      if (options->proto_files == NULL && (files == NULL || files[0] == NULL))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--message needs the .proto files that define it: --proto FILE."));
          return NULL;
        }
      schema = antenna_decoder_context_get_schema (self->context, error);

      if (schema == NULL)
        return NULL;
      if (!antenna_proto_schema_has_message (schema, options->message_type))
        {
          g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_NO_MESSAGE,
                       _("The message type “%s” is in none of the connection’s .proto files."),
                       options->message_type);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

void
antenna_cli_decoding_free (AntennaCliDecoding *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->context);
  g_clear_object (&self->rule);
  g_free (self);
}

gboolean
antenna_cli_decoding_is_auto (AntennaCliDecoding *self)
{
  return self->decoder == NULL;
}

const AntennaDecoder *
antenna_cli_decoding_choose (AntennaCliDecoding *self,
                             const char         *topic,
                             GBytes             *payload)
{
  if (self->decoder != NULL)
    return self->decoder;

  return antenna_decoder_choose (antenna_decoder_context_get_rules (self->context), topic, payload, NULL, NULL);
}

AntennaDecoded *
antenna_cli_decoding_decode (AntennaCliDecoding  *self,
                             const char          *topic,
                             GBytes              *payload,
                             AntennaMessage      *message,
                             GError             **error)
{
  const AntennaDecoder *decoder = self->decoder;
  AntennaDecoderRule *rule = self->rule;

  if (decoder == NULL)
    decoder = antenna_decoder_choose (antenna_decoder_context_get_rules (self->context),
                                      topic, payload, NULL, &rule);

  return antenna_decoder_decode (decoder, payload, topic, message, rule, self->context, &cli_limits, error);
}
