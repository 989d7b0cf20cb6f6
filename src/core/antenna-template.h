/* antenna-template.h: a saved publish template
 *
 * A template is what the composer holds, saved under a name: topic, QoS,
 * retain, MQTT 5 properties and a payload of at most
 * ANTENNA_TEMPLATE_MAX_PAYLOAD bytes with the input format it was typed in.
 * AntennaTemplateStore keeps them (antenna-template-store.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

/* The largest payload a template keeps: a template is for typing, not for files. */
#define ANTENNA_TEMPLATE_MAX_PAYLOAD (1024 * 1024)

#define ANTENNA_TYPE_TEMPLATE (antenna_template_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTemplate, antenna_template, ANTENNA, TEMPLATE, GObject)

/* Properties: name (notified), profile-id, topic, qos, retain, properties,
 * payload, payload-format. All but the name are fixed at construction. */
AntennaTemplate      *antenna_template_new                (const char            *name,
                                                           const char            *profile_id,
                                                           const char            *topic,
                                                           int                    qos,
                                                           gboolean               retain,
                                                           AntennaProperties     *properties,
                                                           GBytes                *payload,
                                                           AntennaPayloadFormat   payload_format);
const char           *antenna_template_get_name           (AntennaTemplate       *self);
const char           *antenna_template_get_profile_id     (AntennaTemplate       *self);
const char           *antenna_template_get_topic          (AntennaTemplate       *self);
int                   antenna_template_get_qos            (AntennaTemplate       *self);
gboolean              antenna_template_get_retain         (AntennaTemplate       *self);
/* (nullable): NULL when none. */
AntennaProperties    *antenna_template_get_properties     (AntennaTemplate       *self);
/* Never NULL. */
GBytes               *antenna_template_get_payload        (AntennaTemplate       *self);
AntennaPayloadFormat  antenna_template_get_payload_format (AntennaTemplate       *self);

/* A repeat saved with the template (AntennaPublishSchedule's interval,
 * count, jitter): set before the template is stored; interval 0: none.
 * Saved ones are started by the person, not at start-up. */
void                  antenna_template_set_repeat         (AntennaTemplate       *self,
                                                           guint                  interval_ms,
                                                           guint64                count,
                                                           guint                  jitter_ms);
/* The interval (0: no repeat), and the count and jitter. */
guint                 antenna_template_get_repeat         (AntennaTemplate       *self,
                                                           guint64               *count,
                                                           guint                 *jitter_ms);

/* The format a JSON payload goes out in: a decoder id that
 * antenna_decoder_can_encode() ("msgpack", "cbor"; "json": as typed, the
 * default). Set before the template is stored. The payload stays the JSON
 * as typed, so that placeholders expand in it before it is encoded. */
void                  antenna_template_set_send_as        (AntennaTemplate       *self,
                                                           const char            *decoder_id);
/* Never NULL: "json" unless set. */
const char           *antenna_template_get_send_as        (AntennaTemplate       *self);

/* JSON, as in the templates file and in an export of profiles. Reading fails
 * with ANTENNA_ERROR_PROFILE_CORRUPT for a template without a name, a profile
 * id or a topic, with a QoS, retain flag or properties that are not valid, or
 * with a payload over ANTENNA_TEMPLATE_MAX_PAYLOAD. */
JsonNode             *antenna_template_to_json            (AntennaTemplate       *self);
AntennaTemplate      *antenna_template_new_from_json      (JsonNode              *node,
                                                           GError               **error);

G_END_DECLS
