/* antenna-decoder-rule.c: one rule of a connection: topic filter → decoder
 *
 * A rule whose decoder this version does not know (a file from a newer
 * Antenna) is kept as it is, saved back unchanged, and skipped when a
 * decoder is chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder-rule.h"
#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-topic.h"

struct _AntennaDecoderRule
{
  GObject  parent_instance;

  char    *filter;
  char    *decoder;
  char    *message_type;
  char    *then;
};

enum {
  PROP_0,
  PROP_FILTER,
  PROP_DECODER,
  PROP_MESSAGE_TYPE,
  PROP_THEN,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (AntennaDecoderRule, antenna_decoder_rule, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
set_string (AntennaDecoderRule  *self,
            char               **field,
            const char          *value,
            guint                prop_id)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
antenna_decoder_rule_finalize (GObject *object)
{
  AntennaDecoderRule *self = ANTENNA_DECODER_RULE (object);

  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->decoder, g_free);
  g_clear_pointer (&self->message_type, g_free);
  g_clear_pointer (&self->then, g_free);

  G_OBJECT_CLASS (antenna_decoder_rule_parent_class)->finalize (object);
}

static void
antenna_decoder_rule_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaDecoderRule *self = ANTENNA_DECODER_RULE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;
    case PROP_DECODER:
      g_value_set_string (value, self->decoder);
      break;
    case PROP_MESSAGE_TYPE:
      g_value_set_string (value, self->message_type);
      break;
    case PROP_THEN:
      g_value_set_string (value, self->then);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoder_rule_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaDecoderRule *self = ANTENNA_DECODER_RULE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      antenna_decoder_rule_set_filter (self, g_value_get_string (value));
      break;
    case PROP_DECODER:
      antenna_decoder_rule_set_decoder (self, g_value_get_string (value));
      break;
    case PROP_MESSAGE_TYPE:
      antenna_decoder_rule_set_message_type (self, g_value_get_string (value));
      break;
    case PROP_THEN:
      antenna_decoder_rule_set_then (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoder_rule_class_init (AntennaDecoderRuleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_decoder_rule_finalize;
  object_class->get_property = antenna_decoder_rule_get_property;
  object_class->set_property = antenna_decoder_rule_set_property;

  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DECODER] =
    g_param_spec_string ("decoder", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_TYPE] =
    g_param_spec_string ("message-type", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THEN] =
    g_param_spec_string ("then", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_decoder_rule_init (AntennaDecoderRule *self)
{
  self->filter = g_strdup ("");
  self->decoder = g_strdup ("");
  self->message_type = g_strdup ("");
  self->then = g_strdup ("");
}

AntennaDecoderRule *
antenna_decoder_rule_new (const char *filter,
                          const char *decoder)
{
  return g_object_new (ANTENNA_TYPE_DECODER_RULE, "filter", filter, "decoder", decoder, NULL);
}

AntennaDecoderRule *
antenna_decoder_rule_copy (AntennaDecoderRule *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), NULL);

  return g_object_new (ANTENNA_TYPE_DECODER_RULE,
                       "filter", self->filter,
                       "decoder", self->decoder,
                       "message-type", self->message_type,
                       "then", self->then,
                       NULL);
}

gboolean
antenna_decoder_rule_equal (AntennaDecoderRule *a,
                            AntennaDecoderRule *b)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (a) && ANTENNA_IS_DECODER_RULE (b), FALSE);

  return g_str_equal (a->filter, b->filter) &&
         g_str_equal (a->decoder, b->decoder) &&
         g_str_equal (a->message_type, b->message_type) &&
         g_str_equal (a->then, b->then);
}

gboolean
antenna_decoder_rule_matches (AntennaDecoderRule *self,
                              const char         *topic)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), FALSE);

  if (topic == NULL || self->filter[0] == '\0')
    return FALSE;
  return antenna_topic_matches (self->filter, topic);
}

const char *
antenna_decoder_rule_get_filter (AntennaDecoderRule *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), "");
  return self->filter;
}

void
antenna_decoder_rule_set_filter (AntennaDecoderRule *self,
                                 const char         *filter)
{
  g_return_if_fail (ANTENNA_IS_DECODER_RULE (self));
  set_string (self, &self->filter, filter, PROP_FILTER);
}

const char *
antenna_decoder_rule_get_decoder (AntennaDecoderRule *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), "");
  return self->decoder;
}

void
antenna_decoder_rule_set_decoder (AntennaDecoderRule *self,
                                  const char         *decoder)
{
  g_return_if_fail (ANTENNA_IS_DECODER_RULE (self));
  set_string (self, &self->decoder, decoder, PROP_DECODER);
}

const char *
antenna_decoder_rule_get_message_type (AntennaDecoderRule *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), "");
  return self->message_type;
}

void
antenna_decoder_rule_set_message_type (AntennaDecoderRule *self,
                                       const char         *message_type)
{
  g_return_if_fail (ANTENNA_IS_DECODER_RULE (self));
  set_string (self, &self->message_type, message_type, PROP_MESSAGE_TYPE);
}

const char *
antenna_decoder_rule_get_then (AntennaDecoderRule *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), "");
  return self->then;
}

void
antenna_decoder_rule_set_then (AntennaDecoderRule *self,
                               const char         *then)
{
  g_return_if_fail (ANTENNA_IS_DECODER_RULE (self));
  set_string (self, &self->then, then, PROP_THEN);
}

JsonNode *
antenna_decoder_rule_to_json (AntennaDecoderRule *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (self), NULL);

  json_object_set_string_member (object, "filter", self->filter);
  json_object_set_string_member (object, "decoder", self->decoder);
  if (self->message_type[0] != '\0')
    json_object_set_string_member (object, "message-type", self->message_type);
  if (self->then[0] != '\0')
    json_object_set_string_member (object, "then", self->then);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

AntennaDecoderRule *
antenna_decoder_rule_new_from_json (JsonNode  *node,
                                    GError   **error)
{
  JsonObject *object;
  const char *filter = NULL;
  const char *decoder = NULL;
  const char *message_type = NULL;
  const char *then = NULL;
  AntennaDecoderRule *self;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      antenna_json_file_set_wrong_type (error, "decoder-rules", _("a list of objects"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!antenna_json_file_read_string (object, "filter", &filter, error) ||
      !antenna_json_file_read_string (object, "decoder", &decoder, error) ||
      !antenna_json_file_read_string (object, "message-type", &message_type, error) ||
      !antenna_json_file_read_string (object, "then", &then, error))
    return NULL;

  if (filter == NULL || !antenna_topic_validate_filter (filter, -1, NULL))
    {
      antenna_json_file_set_wrong_type (error, "filter", _("a valid topic filter"));
      return NULL;
    }
  if (decoder == NULL || decoder[0] == '\0')
    {
      antenna_json_file_set_wrong_type (error, "decoder", _("the name of a payload format"));
      return NULL;
    }

  self = antenna_decoder_rule_new (filter, decoder);
  antenna_decoder_rule_set_message_type (self, message_type);
  antenna_decoder_rule_set_then (self, then);
  return self;
}
