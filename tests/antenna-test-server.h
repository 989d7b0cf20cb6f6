/* antenna-test-server.h: an MQTT server that plays a broker's failure on demand
 *
 * For what no real broker does when asked: a loopback server that answers
 * every CONNECT with a CONNACK (3.1.1 or 5, as the client asked), then reads
 * everything the client sends and answers nothing more, as RabbitMQ does
 * with a message above its max_message_size (it drops it, and never sends
 * PUBACK). Everything else is tested against real brokers
 * (antenna-test-broker.h). It runs on the thread-default main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestServer AntennaTestServer;

AntennaTestServer *antenna_test_server_new_silent        (void);
/* The other server: a small MQTT 5 broker with small limits, for what a
 * real broker does not show. Its CONNACK (to an MQTT 5 CONNECT) carries
 * @receive_maximum and @topic_alias_maximum (0: not sent); it grants every
 * SUBSCRIBE and UNSUBSCRIBE, answers PINGREQ, and acknowledges QoS 1 and 2
 * PUBLISHes one every @ack_delay_ms (PUBACK; PUBREC, then PUBCOMP at once
 * for the PUBREL), counting how many were in flight at most. It publishes
 * only what a test tells it to (send_publish), and delivers nothing. */
AntennaTestServer *antenna_test_server_new_v5            (guint              receive_maximum,
                                                          guint              topic_alias_maximum,
                                                          guint              ack_delay_ms);
/* new_v5: the most QoS 1 and 2 PUBLISHes in flight at once (received and
 * not yet PUBACKed, or PUBRECed and not yet PUBRELeased), over every
 * connection; and how many it received. */
guint              antenna_test_server_get_max_in_flight (AntennaTestServer *self);
guint              antenna_test_server_get_n_publishes   (AntennaTestServer *self);
/* The properties of connection @i's MQTT 5 CONNECT (or of its will, @will)
 * as text, in the order they came: "0x21=10 0x27=2048 0x26=name:value"
 * (integers in decimal, strings and binary data as they are); NULL when
 * there is no such CONNECT or will. */
char              *antenna_test_server_dup_connect_properties (AntennaTestServer *self,
                                                          guint              i,
                                                          gboolean           will);
/* new_v5: a QoS 0 PUBLISH of @payload to connection @i on @topic, with the
 * Topic Alias property @alias unless it is 0 (an empty @topic: the alias
 * alone). */
void               antenna_test_server_send_publish      (AntennaTestServer *self,
                                                          guint              i,
                                                          const char        *topic,
                                                          guint              alias,
                                                          const char        *payload);
guint              antenna_test_server_get_port          (AntennaTestServer *self);
/* Connections accepted so far. */
guint              antenna_test_server_get_n_connections (AntennaTestServer *self);
/* Bytes read after the CONNECTs, over every connection. */
guint64            antenna_test_server_get_n_bytes       (AntennaTestServer *self);
/* The password of connection @i's CONNECT (NULL: none, or no CONNECT yet). */
char              *antenna_test_server_dup_password      (AntennaTestServer *self,
                                                          guint              i);
void               antenna_test_server_free              (AntennaTestServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestServer, antenna_test_server_free)

G_END_DECLS
