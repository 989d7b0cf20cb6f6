/* antenna-message.c: an immutable MQTT message and its MQTT 5 properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message"

#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-message-private.h"

/* AntennaProperties */

G_DEFINE_BOXED_TYPE (AntennaProperties, antenna_properties,
                     antenna_properties_ref, antenna_properties_unref)

static void
antenna_properties_clear (gpointer data)
{
  AntennaProperties *self = data;

  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->response_topic, g_free);
  g_clear_pointer (&self->correlation_data, g_bytes_unref);
  g_clear_pointer (&self->user_properties, g_ptr_array_unref);
  g_clear_pointer (&self->subscription_ids, g_array_unref);
}

AntennaProperties *
antenna_properties_new (void)
{
  AntennaProperties *self = g_atomic_rc_box_new0 (AntennaProperties);

  self->payload_format = -1;
  self->message_expiry = -1;
  self->user_properties = g_ptr_array_new_with_free_func (g_free);
  self->subscription_ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  return self;
}

AntennaProperties *
antenna_properties_ref (AntennaProperties *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
antenna_properties_unref (AntennaProperties *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, antenna_properties_clear);
}

AntennaProperties *
antenna_properties_copy (const AntennaProperties *self)
{
  AntennaProperties *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = antenna_properties_new ();
  copy->content_type = g_strdup (self->content_type);
  copy->payload_format = self->payload_format;
  copy->response_topic = g_strdup (self->response_topic);
  copy->correlation_data = self->correlation_data ? g_bytes_ref (self->correlation_data) : NULL;
  copy->message_expiry = self->message_expiry;
  for (guint i = 0; i < self->user_properties->len; i++)
    g_ptr_array_add (copy->user_properties, g_strdup (g_ptr_array_index (self->user_properties, i)));
  if (self->subscription_ids->len > 0)
    g_array_append_vals (copy->subscription_ids,
                         self->subscription_ids->data,
                         self->subscription_ids->len);

  return copy;
}

gboolean
antenna_properties_is_empty (const AntennaProperties *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->content_type == NULL &&
         self->payload_format < 0 &&
         self->response_topic == NULL &&
         self->correlation_data == NULL &&
         self->message_expiry < 0 &&
         self->user_properties->len == 0 &&
         self->subscription_ids->len == 0;
}

void
antenna_properties_add_user_property (AntennaProperties *self,
                                      const char        *name,
                                      const char        *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->user_properties, g_strdup (name));
  g_ptr_array_add (self->user_properties, g_strdup (value ? value : ""));
}

static gboolean
bytes_equal0 (GBytes *a,
              GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

gboolean
antenna_properties_equal (const AntennaProperties *a,
                          const AntennaProperties *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (g_strcmp0 (a->content_type, b->content_type) != 0 ||
      a->payload_format != b->payload_format ||
      g_strcmp0 (a->response_topic, b->response_topic) != 0 ||
      !bytes_equal0 (a->correlation_data, b->correlation_data) ||
      a->message_expiry != b->message_expiry ||
      a->user_properties->len != b->user_properties->len ||
      a->subscription_ids->len != b->subscription_ids->len)
    return FALSE;

  for (guint i = 0; i < a->user_properties->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a->user_properties, i),
                   g_ptr_array_index (b->user_properties, i)) != 0)
      return FALSE;

  for (guint i = 0; i < a->subscription_ids->len; i++)
    if (g_array_index (a->subscription_ids, guint32, i) !=
        g_array_index (b->subscription_ids, guint32, i))
      return FALSE;

  return TRUE;
}

/* The properties as saved in profiles and templates: only the set ones, the
 * correlation data in Base64, user properties as [name, value] pairs. */
JsonNode *
antenna_properties_to_json (const AntennaProperties *props)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (props != NULL, NULL);

  builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (props->content_type != NULL)
    {
      json_builder_set_member_name (builder, "content-type");
      json_builder_add_string_value (builder, props->content_type);
    }
  if (props->payload_format >= 0)
    {
      json_builder_set_member_name (builder, "payload-format");
      json_builder_add_int_value (builder, props->payload_format);
    }
  if (props->response_topic != NULL)
    {
      json_builder_set_member_name (builder, "response-topic");
      json_builder_add_string_value (builder, props->response_topic);
    }
  if (props->correlation_data != NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (props->correlation_data, &size);
      g_autofree char *b64 = g_base64_encode (data, size);

      json_builder_set_member_name (builder, "correlation-data");
      json_builder_add_string_value (builder, b64);
    }
  if (props->message_expiry >= 0)
    {
      json_builder_set_member_name (builder, "message-expiry");
      json_builder_add_int_value (builder, props->message_expiry);
    }
  if (props->user_properties->len > 0)
    {
      json_builder_set_member_name (builder, "user-properties");
      json_builder_begin_array (builder);
      for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
        {
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, g_ptr_array_index (props->user_properties, i));
          json_builder_add_string_value (builder, g_ptr_array_index (props->user_properties, i + 1));
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* AntennaMessage */

/* A message is made and dropped for every message received, up to hundreds
 * of thousands a second, so it costs as little as GObject allows: one
 * allocation (the instance), nothing copied. A received message refers to
 * the bridge's block (topic and payload) and makes the payload's GBytes only
 * when asked for it; a message made by antenna_message_new() owns a copy of
 * its topic and a reference on its GBytes. */
struct _AntennaMessage
{
  GObject                  parent_instance;

  const char              *topic;       /* in block, or owned when block is NULL */
  GBytes                  *payload;     /* atomic; NULL until asked for when block is set */
  AntennaMessageBlock     *block;
  AntennaProperties       *properties;
  gint64                   timestamp;
  guint                    qos : 2;
  guint                    retain : 1;
  guint                    dup : 1;
  AntennaMessageDirection  direction : 2;
};

enum {
  PROP_0,
  PROP_TOPIC,
  PROP_PAYLOAD,
  PROP_SIZE,
  PROP_QOS,
  PROP_RETAIN,
  PROP_DUP,
  PROP_DIRECTION,
  PROP_TIMESTAMP,
  PROP_PROPERTIES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (AntennaMessage, antenna_message, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static AntennaProperties *empty_properties;

static void
release_block (gpointer data)
{
  antenna_message_block_unref (data);
}

static void
antenna_message_finalize (GObject *object)
{
  AntennaMessage *self = (AntennaMessage *)object;

  if (self->payload != NULL)
    g_bytes_unref (self->payload);
  if (self->block != NULL)
    antenna_message_block_unref (self->block);
  else
    g_free ((char *) self->topic);
  if (self->properties != NULL)
    antenna_properties_unref (self->properties);

  /* a plain cast: the checked one costs more than the rest of this function */
  ((GObjectClass *) antenna_message_parent_class)->finalize (object);
}

static void
antenna_message_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AntennaMessage *self = ANTENNA_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_PAYLOAD:
      g_value_set_boxed (value, antenna_message_get_payload (self));
      break;

    case PROP_SIZE:
      g_value_set_uint64 (value, antenna_message_get_size (self));
      break;

    case PROP_QOS:
      g_value_set_int (value, self->qos);
      break;

    case PROP_RETAIN:
      g_value_set_boolean (value, self->retain);
      break;

    case PROP_DUP:
      g_value_set_boolean (value, self->dup);
      break;

    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;

    case PROP_TIMESTAMP:
      g_value_set_int64 (value, self->timestamp);
      break;

    case PROP_PROPERTIES:
      g_value_set_boxed (value, antenna_message_get_properties (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_class_init (AntennaMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_message_finalize;
  object_class->get_property = antenna_message_get_property;

  /* Read-only: a message never changes once made (antenna_message_new sets
   * the fields directly, so that making one costs a single allocation). */
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PAYLOAD] =
    g_param_spec_boxed ("payload", NULL, NULL, G_TYPE_BYTES,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_QOS] =
    g_param_spec_int ("qos", NULL, NULL, 0, 2, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RETAIN] =
    g_param_spec_boolean ("retain", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DUP] =
    g_param_spec_boolean ("dup", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       ANTENNA_TYPE_MESSAGE_DIRECTION, ANTENNA_MESSAGE_RECEIVED,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TIMESTAMP] =
    g_param_spec_int64 ("timestamp", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROPERTIES] =
    g_param_spec_boxed ("properties", NULL, NULL, ANTENNA_TYPE_PROPERTIES,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  empty_properties = antenna_properties_new ();
}

static void
antenna_message_init (AntennaMessage *self)
{
}

AntennaMessage *
antenna_message_new (const char              *topic,
                     GBytes                  *payload,
                     int                      qos,
                     gboolean                 retain,
                     gboolean                 dup,
                     AntennaMessageDirection  direction,
                     gint64                   timestamp,
                     AntennaProperties       *props)
{
  AntennaMessage *self;

  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  self = (AntennaMessage *) g_object_new_with_properties (ANTENNA_TYPE_MESSAGE, 0, NULL, NULL);
  self->topic = g_strdup (topic);
  self->payload = payload ? g_bytes_ref (payload) : g_bytes_new_static ("", 0);
  self->qos = qos;
  self->retain = !!retain;
  self->dup = !!dup;
  self->direction = direction;
  self->timestamp = timestamp;
  self->properties = props ? antenna_properties_ref (props) : NULL;

  return self;
}

AntennaMessage *
antenna_message_new_from_block (AntennaMessageBlock *block,
                                int                  qos,
                                gboolean             retain,
                                gboolean             dup,
                                gint64               timestamp,
                                AntennaProperties   *props)
{
  AntennaMessage *self;

  self = (AntennaMessage *) g_object_new_with_properties (ANTENNA_TYPE_MESSAGE, 0, NULL, NULL);
  self->block = block;
  self->topic = block->topic;
  self->qos = qos;
  self->retain = !!retain;
  self->dup = !!dup;
  self->direction = ANTENNA_MESSAGE_RECEIVED;
  self->timestamp = timestamp;
  self->properties = props;

  return self;
}

const char *
antenna_message_get_topic (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), NULL);

  return self->topic;
}

GBytes *
antenna_message_get_payload (AntennaMessage *self)
{
  GBytes *payload;

  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), NULL);

  payload = g_atomic_pointer_get (&self->payload);
  if G_LIKELY (payload != NULL)
    return payload;

  /* A received message: its GBytes keeps the block alive on its own, as
   * long as whoever asked keeps it. Two threads may ask at once. */
  g_atomic_ref_count_inc (&self->block->ref_count);
  payload = g_bytes_new_with_free_func (self->block->payload, self->block->payload_len,
                                        release_block, self->block);
  if (!g_atomic_pointer_compare_and_exchange (&self->payload, NULL, payload))
    {
      g_bytes_unref (payload);
      payload = g_atomic_pointer_get (&self->payload);
    }

  return payload;
}

/* glibc's malloc adds about this much to every allocation. */
#define MALLOC_OVERHEAD 16

gsize
antenna_message_get_footprint (AntennaMessage *self)
{
  gsize footprint = sizeof (AntennaMessage) + MALLOC_OVERHEAD;

  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), 0);

  /* The payload's GBytes, made now or later. */
  footprint += 32 + MALLOC_OVERHEAD;

  if (self->block != NULL)
    footprint += self->block->footprint + MALLOC_OVERHEAD;
  else
    footprint += strlen (self->topic) + 1 + g_bytes_get_size (self->payload) + 2 * MALLOC_OVERHEAD;

  if (self->properties != NULL)
    footprint += 256;

  return footprint;
}

gsize
antenna_message_get_size (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), 0);

  if (self->block != NULL)
    return self->block->payload_len;
  return g_bytes_get_size (self->payload);
}

int
antenna_message_get_qos (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), 0);

  return self->qos;
}

gboolean
antenna_message_get_retain (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), FALSE);

  return self->retain;
}

gboolean
antenna_message_get_dup (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), FALSE);

  return self->dup;
}

AntennaMessageDirection
antenna_message_get_direction (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), ANTENNA_MESSAGE_RECEIVED);

  return self->direction;
}

gint64
antenna_message_get_timestamp (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), 0);

  return self->timestamp;
}

AntennaProperties *
antenna_message_get_properties (AntennaMessage *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (self), NULL);

  return self->properties ? self->properties : empty_properties;
}
