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
#include "antenna-payload.h"

/* What a preview or a search decodes at most: a row is one line. */
#define VIEW_MAX_BYTES   (64 * 1024)
#define VIEW_MAX_NODES   20000
#define VIEW_MAX_TIME_US (20 * 1000)

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
  guint                  generation;    /* bumped when decoding settings change */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A message's preview line, kept on the message for the context (and its
 * generation) that made it. */
typedef struct
{
  gpointer  context;
  guint     generation;
  char     *preview;
} CachedPreview;

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
on_profile_changed_cb (AntennaDecoderContext *self)
{
  self->generation++;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cached_preview_free (CachedPreview *cached)
{
  g_free (cached->preview);
  g_free (cached);
}

static GQuark
preview_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("antenna-decoded-preview");
  return quark;
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

  /**
   * AntennaDecoderContext::changed:
   *
   * The decoding settings changed (a rule, the .proto files): what views
   * decoded may read differently now.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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
      g_signal_connect_object (profile, "changed", G_CALLBACK (on_profile_changed_cb), self, G_CONNECT_SWAPPED);
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

const AntennaDecoder *
antenna_decoder_context_claim (AntennaDecoderContext  *self,
                               const char             *topic,
                               AntennaDecoderRule    **rule)
{
  GListModel *rules;
  guint n;

  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  if (rule != NULL)
    *rule = NULL;

  rules = antenna_decoder_context_get_rules (self);
  n = g_list_model_get_n_items (rules);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaDecoderRule) r = g_list_model_get_item (rules, i);
      const AntennaDecoder *decoder;

      if (!antenna_decoder_rule_matches (r, topic))
        continue;
      decoder = antenna_decoder_find (antenna_decoder_rule_get_decoder (r));
      if (decoder == NULL)
        continue;
      if (rule != NULL)
        *rule = r;   /* the list keeps it */
      return decoder;
    }

  if (g_str_has_prefix (topic, "spBv1.0/"))
    return antenna_decoder_find (ANTENNA_DECODER_SPARKPLUG);
  return NULL;
}

guint
antenna_decoder_context_get_generation (AntennaDecoderContext *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), 0);

  return self->generation;
}

AntennaDecoded *
antenna_decoder_context_decode_for_view (AntennaDecoderContext  *self,
                                         AntennaMessage         *message,
                                         GError                **error)
{
  const AntennaDecodeLimits limits = { VIEW_MAX_BYTES, VIEW_MAX_NODES, ANTENNA_DECODE_DEFAULT_MAX_DEPTH, VIEW_MAX_TIME_US };
  AntennaDecoderRule *rule = NULL;
  const AntennaDecoder *decoder;

  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), NULL);

  decoder = antenna_decoder_context_claim (self, antenna_message_get_topic (message), &rule);
  if (decoder == NULL)
    return NULL;
  return antenna_decoder_decode (decoder, antenna_message_get_payload (message), antenna_message_get_topic (message),
                                 message, rule, self, &limits, error);
}

char *
antenna_decoder_context_dup_preview (AntennaDecoderContext *self,
                                     AntennaMessage        *message,
                                     guint                  max_chars)
{
  CachedPreview *cached;
  g_autoptr(AntennaDecoded) decoded = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), NULL);

  cached = g_object_get_qdata (G_OBJECT (message), preview_quark ());
  if (cached != NULL && cached->context == self && cached->generation == self->generation)
    return g_strdup (cached->preview);

  cached = g_new0 (CachedPreview, 1);
  cached->context = self;
  cached->generation = self->generation;

  decoded = antenna_decoder_context_decode_for_view (self, message, &error);
  if (decoded != NULL)
    cached->preview = antenna_value_dup_preview (antenna_decoded_get_value (decoded), max_chars);
  else
    {
      g_autofree char *raw = antenna_payload_preview_line (antenna_message_get_payload (message), max_chars);

      if (error != NULL)
        /* Translators: a log row's preview of a payload its decoder refused: the raw bytes follow */
        cached->preview = g_strdup_printf (_("⚠ %s"), raw);
      else
        cached->preview = g_steal_pointer (&raw);
    }

  g_object_set_qdata_full (G_OBJECT (message), preview_quark (), cached, (GDestroyNotify) cached_preview_free);
  return g_strdup (cached->preview);
}

char *
antenna_decoder_context_dup_search_text (AntennaDecoderContext *self,
                                         AntennaMessage        *message)
{
  g_autoptr(AntennaDecoded) decoded = NULL;

  g_return_val_if_fail (ANTENNA_IS_DECODER_CONTEXT (self), NULL);
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), NULL);

  decoded = antenna_decoder_context_decode_for_view (self, message, NULL);
  if (decoded == NULL)
    return NULL;
  return antenna_value_to_json (antenna_decoded_get_value (decoded), FALSE);
}
