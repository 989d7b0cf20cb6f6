/* antenna-message.h: an immutable MQTT message and its MQTT 5 properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

/* AntennaProperties: the MQTT 5 properties of a PUBLISH (and of a last will).
 * A reference-counted boxed type; fields are read directly, and changed only
 * while the caller holds the single reference (before it is shared). */
#define ANTENNA_TYPE_PROPERTIES (antenna_properties_get_type ())

struct _AntennaProperties
{
  char    *content_type;          /* NULL: unset */
  int      payload_format;        /* -1: unset, 0: bytes, 1: UTF-8 */
  char    *response_topic;        /* NULL: unset */
  GBytes  *correlation_data;      /* NULL: unset */
  gint64   message_expiry;        /* -1: unset, else seconds */
  GPtrArray *user_properties;     /* of char*: name, value, name, value, …; never NULL */
  GArray  *subscription_ids;      /* of guint32, received messages only; never NULL */
};

GType              antenna_properties_get_type            (void) G_GNUC_CONST;
AntennaProperties *antenna_properties_new                 (void);
AntennaProperties *antenna_properties_ref                 (AntennaProperties *self);
void               antenna_properties_unref               (AntennaProperties *self);
AntennaProperties *antenna_properties_copy                (const AntennaProperties *self);
gboolean           antenna_properties_is_empty            (const AntennaProperties *self);
void               antenna_properties_add_user_property   (AntennaProperties *self,
                                                           const char        *name,
                                                           const char        *value);
gboolean           antenna_properties_equal               (const AntennaProperties *a,
                                                           const AntennaProperties *b);
JsonNode          *antenna_properties_to_json             (const AntennaProperties *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaProperties, antenna_properties_unref)

#define ANTENNA_TYPE_MESSAGE (antenna_message_get_type ())

G_DECLARE_FINAL_TYPE (AntennaMessage, antenna_message, ANTENNA, MESSAGE, GObject)

/* Takes a reference on @payload and @properties (either may be NULL: empty
 * payload, no properties). @timestamp is g_get_real_time() microseconds. */
AntennaMessage          *antenna_message_new              (const char              *topic,
                                                           GBytes                  *payload,
                                                           int                      qos,
                                                           gboolean                 retain,
                                                           gboolean                 dup,
                                                           AntennaMessageDirection  direction,
                                                           gint64                   timestamp,
                                                           AntennaProperties       *properties);
const char              *antenna_message_get_topic        (AntennaMessage *self);
GBytes                  *antenna_message_get_payload      (AntennaMessage *self);
gsize                    antenna_message_get_size         (AntennaMessage *self);
int                      antenna_message_get_qos          (AntennaMessage *self);
gboolean                 antenna_message_get_retain       (AntennaMessage *self);
gboolean                 antenna_message_get_dup          (AntennaMessage *self);
AntennaMessageDirection  antenna_message_get_direction    (AntennaMessage *self);
gint64                   antenna_message_get_timestamp    (AntennaMessage *self);
/* Never NULL: an empty AntennaProperties when the message had none. */
AntennaProperties       *antenna_message_get_properties   (AntennaMessage *self);

G_END_DECLS
