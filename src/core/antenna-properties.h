/* antenna-properties.h: the MQTT 5 properties of a message or a last will
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"

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
/* As saved in profiles and templates: only the set ones, the correlation data
 * in Base64, user properties as [name, value] pairs (never the subscription
 * identifiers, which only received messages have). */
JsonNode          *antenna_properties_to_json             (const AntennaProperties *self);
/* The other way: a missing or null member is unset; a member of the wrong
 * type (or out of range, or correlation data that is not strict Base64) is
 * ANTENNA_ERROR_PROFILE_CORRUPT, with a message that names it. */
AntennaProperties *antenna_properties_new_from_json       (JsonNode          *node,
                                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaProperties, antenna_properties_unref)

G_END_DECLS
