/* antenna-decoder-context.c: what decoding needs to know about a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-sparkplug-model.h"

struct _AntennaDecoderContext
{
  GObject                parent_instance;

  /* Owned References */
  AntennaProfile        *profile;
  GListModel            *no_rules;
  AntennaProtoSchema    *schema;
  GError                *schema_error;
  AntennaSparkplugModel *sparkplug;
  gboolean               schema_given;
};

G_DEFINE_FINAL_TYPE (AntennaDecoderContext, antenna_decoder_context, G_TYPE_OBJECT)

static void
forget_schema (AntennaDecoderContext *self)
{
  if (self->schema_given)
    return;
  g_clear_pointer (&self->schema, antenna_proto_schema_unref);
  g_clear_error (&self->schema_error);
}

static void
on_proto_files_changed_cb (AntennaProfile        *profile,
                           GParamSpec            *pspec,
                           AntennaDecoderContext *self)
{
  forget_schema (self);
}

static void
antenna_decoder_context_dispose (GObject *object)
{
  AntennaDecoderContext *self = ANTENNA_DECODER_CONTEXT (object);

  g_clear_object (&self->sparkplug);
  g_clear_object (&self->profile);
  g_clear_object (&self->no_rules);
  g_clear_pointer (&self->schema, antenna_proto_schema_unref);
  g_clear_error (&self->schema_error);

  G_OBJECT_CLASS (antenna_decoder_context_parent_class)->dispose (object);
}

static void
antenna_decoder_context_class_init (AntennaDecoderContextClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = antenna_decoder_context_dispose;
}

static void
antenna_decoder_context_init (AntennaDecoderContext *self)
{
  self->no_rules = G_LIST_MODEL (g_list_store_new (ANTENNA_TYPE_DECODER_RULE));
}

AntennaDecoderContext *
antenna_decoder_context_new (AntennaProfile *profile)
{
  AntennaDecoderContext *self;

  g_return_val_if_fail (profile == NULL || ANTENNA_IS_PROFILE (profile), NULL);

  self = g_object_new (ANTENNA_TYPE_DECODER_CONTEXT, NULL);
  if (profile != NULL)
    {
      self->profile = g_object_ref (profile);
      g_signal_connect_object (profile, "notify::proto-files", G_CALLBACK (on_proto_files_changed_cb), self, 0);
      g_signal_connect_object (profile, "notify::proto-import-paths", G_CALLBACK (on_proto_files_changed_cb), self, 0);
    }
  return self;
}

AntennaProfile *
antenna_decoder_context_get_profile (AntennaDecoderContext *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);

  return self->profile;
}

GListModel *
antenna_decoder_context_get_rules (AntennaDecoderContext *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);

  return self->profile != NULL ? antenna_profile_get_decoder_rules (self->profile) : self->no_rules;
}

AntennaProtoSchema *
antenna_decoder_context_get_schema (AntennaDecoderContext  *self,
                                    GError                **error)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);

  if (self->schema == NULL && self->schema_error == NULL)
    {
      const char * const *files = self->profile != NULL ? antenna_profile_get_proto_files (self->profile) : NULL;

      if (files == NULL || files[0] == NULL)
        g_set_error_literal (&self->schema_error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_NO_MESSAGE,
                             _("The connection has no .proto files: add them in its settings."));
      else
        self->schema = antenna_proto_schema_load (files, antenna_profile_get_proto_import_paths (self->profile),
                                                  &self->schema_error);
    }

  if (self->schema == NULL)
    {
      g_propagate_error (error, g_error_copy (self->schema_error));
      return NULL;
    }
  return self->schema;
}

void
antenna_decoder_context_set_schema (AntennaDecoderContext *self,
                                    AntennaProtoSchema    *schema)
{
  g_return_if_fail (ANTENNA_IS_DECODER_CONTEXT (self));

  self->schema_given = FALSE;
  forget_schema (self);
  if (schema != NULL)
    {
      self->schema = antenna_proto_schema_ref (schema);
      self->schema_given = TRUE;
    }
}

AntennaSparkplugModel *
antenna_decoder_context_get_sparkplug (AntennaDecoderContext *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);

  if (self->sparkplug == NULL)
    self->sparkplug = antenna_sparkplug_model_new ();
  return self->sparkplug;
}

AntennaSparkplugModel *
antenna_decoder_context_peek_sparkplug (AntennaDecoderContext *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);

  return self->sparkplug;
}

AntennaDecoded *
antenna_decoder_context_decode_message (AntennaDecoderContext      *self,
                                        AntennaMessage             *message,
                                        const AntennaDecoder       *decoder,
                                        AntennaDecoderRule         *rule,
                                        const AntennaDecodeLimits  *limits,
                                        AntennaDecoderReason       *reason,
                                        GError                    **error)
{
  AntennaDecoderReason why = ANTENNA_DECODER_REASON_CHOSEN;
  const char *topic;
  GBytes *payload;

  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), NULL);

  topic = antenna_message_get_topic (message);
  payload = antenna_message_get_payload (message);

  if (decoder == NULL)
    decoder = antenna_decoder_choose (antenna_decoder_context_get_rules (self), topic, payload, &why, &rule);
  if (reason != NULL)
    *reason = why;

  return antenna_decoder_decode (decoder, payload, topic, message, rule, self, limits, error);
}
