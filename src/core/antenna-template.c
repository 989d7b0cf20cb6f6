/* antenna-template.c: a saved publish template
 *
 * As JSON:
 *   { "name": …, "profile-id": …, "topic": …, "qos": 0, "retain": false,
 *     "payload-format": "json", "payload": "<Base64>",
 *     "properties": { "content-type": …, … } }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-template"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder.h"
#include "antenna-error.h"
#include "antenna-properties.h"
#include "antenna-template-private.h"

struct _AntennaTemplate
{
  GObject               parent_instance;

  char                 *name;
  char                 *profile_id;
  char                 *topic;
  int                   qos;
  gboolean              retain;
  AntennaProperties    *properties;
  GBytes               *payload;
  AntennaPayloadFormat  payload_format;
  /* A repeat saved with the template (interval 0: none). */
  guint                 repeat_interval_ms;
  guint64               repeat_count;
  guint                 repeat_jitter_ms;
  /* NULL: a JSON payload goes out as typed; else "msgpack", "cbor" */
  char                 *send_as;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_PROFILE_ID,
  PROP_TOPIC,
  PROP_QOS,
  PROP_RETAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaTemplate, antenna_template, G_TYPE_OBJECT)

static void
antenna_template_finalize (GObject *object)
{
  AntennaTemplate *self = ANTENNA_TEMPLATE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->properties, antenna_properties_unref);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->send_as, g_free);

  G_OBJECT_CLASS (antenna_template_parent_class)->finalize (object);
}

static void
antenna_template_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AntennaTemplate *self = ANTENNA_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROFILE_ID:
      g_value_set_string (value, self->profile_id);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case PROP_QOS:
      g_value_set_int (value, self->qos);
      break;
    case PROP_RETAIN:
      g_value_set_boolean (value, self->retain);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_template_class_init (AntennaTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_template_finalize;
  object_class->get_property = antenna_template_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE_ID] =
    g_param_spec_string ("profile-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_QOS] =
    g_param_spec_int ("qos", NULL, NULL, 0, 2, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETAIN] =
    g_param_spec_boolean ("retain", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_template_init (AntennaTemplate *self)
{
}

AntennaTemplate *
antenna_template_new (const char           *name,
                      const char           *profile_id,
                      const char           *topic,
                      int                   qos,
                      gboolean              retain,
                      AntennaProperties    *props,
                      GBytes               *payload,
                      AntennaPayloadFormat  payload_format)
{
  AntennaTemplate *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  self = g_object_new (ANTENNA_TYPE_TEMPLATE, NULL);
  self->name = g_strdup (name);
  self->profile_id = g_strdup (profile_id);
  self->topic = g_strdup (topic);
  self->qos = qos;
  self->retain = !!retain;
  if (props != NULL && !antenna_properties_is_empty (props))
    self->properties = antenna_properties_copy (props);
  self->payload = payload != NULL ? g_bytes_ref (payload) : g_bytes_new (NULL, 0);
  self->payload_format = payload_format;

  return self;
}

const char *
antenna_template_get_name (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->name;
}

const char *
antenna_template_get_profile_id (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->profile_id;
}

const char *
antenna_template_get_topic (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->topic;
}

int
antenna_template_get_qos (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), 0);
  return self->qos;
}

gboolean
antenna_template_get_retain (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), FALSE);
  return self->retain;
}

AntennaProperties *
antenna_template_get_properties (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->properties;
}

GBytes *
antenna_template_get_payload (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->payload;
}

AntennaPayloadFormat
antenna_template_get_payload_format (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), ANTENNA_PAYLOAD_FORMAT_TEXT);
  return self->payload_format;
}

/* The store checks that @name is unique before it renames. */
void
_antenna_template_set_name (AntennaTemplate *self,
                            const char      *name)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATE (self));
  g_return_if_fail (name != NULL);

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/* JSON */

static const char * const format_names[] = {
  [ANTENNA_PAYLOAD_FORMAT_AUTO] = "auto",
  [ANTENNA_PAYLOAD_FORMAT_TEXT] = "text",
  [ANTENNA_PAYLOAD_FORMAT_JSON] = "json",
  [ANTENNA_PAYLOAD_FORMAT_HEX] = "hex",
  [ANTENNA_PAYLOAD_FORMAT_BASE64] = "base64",
};

JsonNode *
antenna_template_to_json (AntennaTemplate *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *b64 = NULL;
  const guchar *data;
  gsize size;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);

  builder = json_builder_new ();
  data = g_bytes_get_data (self->payload, &size);
  b64 = g_base64_encode (data, size);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "profile-id");
  json_builder_add_string_value (builder, self->profile_id);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, self->topic);
  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, self->qos);
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, self->retain);
  json_builder_set_member_name (builder, "payload-format");
  json_builder_add_string_value (builder, format_names[self->payload_format]);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, b64);
  if (self->properties != NULL)
    {
      json_builder_set_member_name (builder, "properties");
      json_builder_add_value (builder, antenna_properties_to_json (self->properties));
    }
  if (self->send_as != NULL)
    {
      json_builder_set_member_name (builder, "send-as");
      json_builder_add_string_value (builder, self->send_as);
    }
  if (self->repeat_interval_ms > 0)
    {
      json_builder_set_member_name (builder, "repeat");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "interval-ms");
      json_builder_add_int_value (builder, self->repeat_interval_ms);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, (gint64) MIN (self->repeat_count, (guint64) G_MAXINT64));
      json_builder_set_member_name (builder, "jitter-ms");
      json_builder_add_int_value (builder, self->repeat_jitter_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
bad (GError     **error,
     const char  *what)
{
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
               _("A saved template could not be read: %s."), what);
  return FALSE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

AntennaTemplate *
antenna_template_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(AntennaProperties) props = NULL;
  g_autoptr(GBytes) payload = NULL;
  AntennaPayloadFormat format = ANTENNA_PAYLOAD_FORMAT_TEXT;
  JsonObject *object;
  JsonNode *member;
  const char *name, *profile_id, *topic, *b64, *format_name;
  gint64 qos = 0;
  gboolean retain = FALSE;
  AntennaTemplate *template;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, _("it is not an object")), NULL;
  object = json_node_get_object (node);

  name = get_string (object, "name");
  profile_id = get_string (object, "profile-id");
  topic = get_string (object, "topic");
  if (name == NULL || name[0] == '\0')
    return bad (error, _("it has no name")), NULL;
  if (profile_id == NULL)
    return bad (error, _("it belongs to no connection")), NULL;
  if (topic == NULL)
    return bad (error, _("it has no topic")), NULL;
  if (json_object_has_member (object, "qos") && (!get_int (object, "qos", &qos) || qos < 0 || qos > 2))
    return bad (error, _("its QoS is not 0, 1 or 2")), NULL;
  member = json_object_get_member (object, "retain");
  if (member != NULL)
    {
      if (json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return bad (error, _("its retain flag is not true or false")), NULL;
      retain = json_node_get_boolean (member);
    }
  format_name = get_string (object, "payload-format");
  if (format_name != NULL)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (format_names); i++)
        if (g_str_equal (format_names[i], format_name))
          break;
      /* A format a newer version added: the bytes are still right as hex. */
      format = i < G_N_ELEMENTS (format_names) ? (AntennaPayloadFormat) i : ANTENNA_PAYLOAD_FORMAT_HEX;
    }
  b64 = get_string (object, "payload");
  if (b64 != NULL)
    {
      gsize len = 0;
      guchar *data = g_base64_decode (b64, &len);

      if (len > ANTENNA_TEMPLATE_MAX_PAYLOAD)
        {
          g_free (data);
          return bad (error, _("its payload is too large")), NULL;
        }
      payload = g_bytes_new_take (data, len);
    }
  member = json_object_get_member (object, "properties");
  if (member != NULL)
    {
      props = antenna_properties_new_from_json (member, error);
      if (props == NULL)
        return NULL;
    }

  template = antenna_template_new (name, profile_id, topic, qos, retain, props, payload, format);

  member = json_object_get_member (object, "repeat");
  if (member != NULL)
    {
      gint64 interval = 0, count = 0, jitter = 0;
      JsonObject *repeat = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;

      if (repeat == NULL || !get_int (repeat, "interval-ms", &interval) || interval < 1 || interval > G_MAXUINT32 ||
          (json_object_has_member (repeat, "count") && (!get_int (repeat, "count", &count) || count < 0)) ||
          (json_object_has_member (repeat, "jitter-ms") &&
           (!get_int (repeat, "jitter-ms", &jitter) || jitter < 0 || jitter > G_MAXUINT32)))
        {
          g_object_unref (template);
          return bad (error, _("its repeat is not an interval, a count and a jitter")), NULL;
        }
      antenna_template_set_repeat (template, interval, count, jitter);
    }

  /* an encoder a newer version added is not known here: sent as typed */
  antenna_template_set_send_as (template, get_string (object, "send-as"));

  return template;
}

void
antenna_template_set_repeat (AntennaTemplate *self,
                             guint            interval_ms,
                             guint64          count,
                             guint            jitter_ms)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATE (self));

  self->repeat_interval_ms = interval_ms;
  self->repeat_count = count;
  self->repeat_jitter_ms = jitter_ms;
}

guint
antenna_template_get_repeat (AntennaTemplate *self,
                             guint64         *count,
                             guint           *jitter_ms)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), 0);

  if (count != NULL)
    *count = self->repeat_count;
  if (jitter_ms != NULL)
    *jitter_ms = self->repeat_jitter_ms;
  return self->repeat_interval_ms;
}

void
antenna_template_set_send_as (AntennaTemplate *self,
                              const char      *decoder_id)
{
  const AntennaDecoder *decoder;

  g_return_if_fail (ANTENNA_IS_TEMPLATE (self));

  decoder = decoder_id != NULL ? antenna_decoder_find (decoder_id) : NULL;
  g_clear_pointer (&self->send_as, g_free);
  if (decoder != NULL && antenna_decoder_can_encode (decoder) &&
      !g_str_equal (decoder_id, ANTENNA_DECODER_JSON) && !g_str_equal (decoder_id, ANTENNA_DECODER_TEXT))
    self->send_as = g_strdup (decoder_id);
}

const char *
antenna_template_get_send_as (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);

  return self->send_as != NULL ? self->send_as : ANTENNA_DECODER_JSON;
}
