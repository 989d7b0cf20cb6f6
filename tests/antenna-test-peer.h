/* antenna-test-peer.h: mosquitto_pub and mosquitto_sub as independent peers
 *
 * Reference clients that are not Antenna, pointed at a test broker (as its
 * user when the broker has AUTH).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-test-broker.h"

G_BEGIN_DECLS

typedef struct _AntennaTestSub AntennaTestSub;

/* mosquitto_pub: publishes @payload (any bytes; NULL: empty) once, as the
 * broker's user when AUTH. Waits until it exits; FALSE with the reason if it failed. */
gboolean           antenna_test_pub                   (AntennaTestBroker      *self,
                                                       const char             *topic,
                                                       GBytes                 *payload,
                                                       int                     qos,
                                                       gboolean                retain,
                                                       GError                **error);
/* Like antenna_test_pub with more mosquitto_pub arguments, e.g.
 * { "-V", "5", "-D", "publish", "user-property", "k", "v", NULL }. */
gboolean           antenna_test_pub_full              (AntennaTestBroker      *self,
                                                       const char             *topic,
                                                       GBytes                 *payload,
                                                       int                     qos,
                                                       gboolean                retain,
                                                       const char * const     *extra_args,
                                                       GError                **error);
/* mosquitto_sub on @filter (MQTT 3.1.1 unless @v5) with payloads read
 * byte-exact. Returns once the broker acknowledged the subscription (the
 * SUBACK, seen through mosquitto_sub -d): no probe messages. Reading happens
 * on the thread-default main context when it was started, so messages arrive
 * only while that context is iterated (antenna_test_sub_wait, a main loop).
 * Free subscribers before or after their broker, in any order. */
AntennaTestSub    *antenna_test_sub_start             (AntennaTestBroker      *self,
                                                       const char             *filter,
                                                       int                     qos,
                                                       gboolean                v5);
/* Like antenna_test_sub_start with more mosquitto_sub arguments, e.g.
 * { "-i", "subscriber-1", "-c", NULL } for a persistent session. */
AntennaTestSub    *antenna_test_sub_start_full        (AntennaTestBroker      *self,
                                                       const char             *filter,
                                                       int                     qos,
                                                       gboolean                v5,
                                                       const char * const     *extra_args);
/* The QoS the broker granted, or 128 (0x80) when it refused the filter. */
int                antenna_test_sub_get_granted_qos   (AntennaTestSub         *sub);
/* Iterates the default main context until @n messages arrived or @timeout_ms
 * passed. Returns the number received so far. */
guint              antenna_test_sub_wait              (AntennaTestSub         *sub,
                                                       guint                   n,
                                                       guint                   timeout_ms);
/* Received so far, in order: topic, payload, retain flag; and (v5) the
 * properties mosquitto_sub printed, as text. */
guint              antenna_test_sub_get_n_messages    (AntennaTestSub         *sub);
const char        *antenna_test_sub_get_topic         (AntennaTestSub         *sub,
                                                       guint                   i);
GBytes            *antenna_test_sub_get_payload       (AntennaTestSub         *sub,
                                                       guint                   i);
gboolean           antenna_test_sub_get_retain        (AntennaTestSub         *sub,
                                                       guint                   i);
/* (v5) One MQTT 5 property of message @i as mosquitto_sub printed it, or NULL
 * when absent: "content-type", "message-expiry-interval", "response-topic",
 * "correlation-data", "user-property" ("k1:v1 k2:v2"),
 * "subscription-identifier", "payload-format-indicator". */
const char        *antenna_test_sub_get_property      (AntennaTestSub         *sub,
                                                       guint                   i,
                                                       const char             *name);
/* (v5) All of them as one line of text, "name=value" separated by tabs. */
const char        *antenna_test_sub_get_properties    (AntennaTestSub         *sub,
                                                       guint                   i);
void               antenna_test_sub_free              (AntennaTestSub         *sub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestSub, antenna_test_sub_free)

G_END_DECLS
