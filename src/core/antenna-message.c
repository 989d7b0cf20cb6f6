/* antenna-message.c: an immutable MQTT message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message"

#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-message-private.h"

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
