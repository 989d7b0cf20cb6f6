/* antenna-message.h: an immutable MQTT message and its MQTT 5 properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"
#include "antenna-properties.h"

G_BEGIN_DECLS

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
