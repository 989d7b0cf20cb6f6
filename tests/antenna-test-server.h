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
