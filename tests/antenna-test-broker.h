/* antenna-test-broker.h: real brokers and reference clients for the tests
 *
 * A mosquitto (or, for WebSockets, an aedes broker under node; or Debian's
 * RabbitMQ or ActiveMQ) started by the test on free loopback ports, from a
 * config written into a temporary directory that is removed with the broker;
 * and, for the failures to connect, a port where nobody listens and one
 * where nobody answers. mosquitto_pub/mosquitto_sub as independent peers:
 * antenna-test-peer.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestBroker AntennaTestBroker;

typedef enum {
  ANTENNA_TEST_BROKER_PLAIN       = 0,
  /* allow_anonymous false; the user antenna_test_broker_get_username() with
   * antenna_test_broker_get_password(); an ACL that lets that user do anything
   * except subscribe to or publish on "forbidden/#".
   * mosquitto 2.0 grants a SUBSCRIBE to forbidden/# (QoS as asked) and then
   * delivers nothing on it, and drops a forbidden PUBLISH silently (3.1.1;
   * MQTT 5 QoS 1/2 get reason code 0x87). The aedes broker (WEBSOCKET|AUTH)
   * refuses the SUBSCRIBE with 0x80: use its get_mqtt_port() for a refusal. */
  ANTENNA_TEST_BROKER_AUTH        = 1 << 0,
  /* A second listener with TLS: a CA, a server certificate for 127.0.0.1 and
   * localhost (SAN), made with openssl at start. */
  ANTENNA_TEST_BROKER_TLS         = 1 << 1,
  /* persistence on, in the broker's directory; survives antenna_test_broker_restart(). */
  ANTENNA_TEST_BROKER_PERSISTENCE = 1 << 2,
  /* The TLS listener's certificate is for the host name "wrong.example" only. */
  ANTENNA_TEST_BROKER_TLS_WRONG_HOST = 1 << 3,
  /* The TLS listener's certificate expired yesterday. */
  ANTENNA_TEST_BROKER_TLS_EXPIRED = 1 << 4,
  /* An aedes broker (node) with MQTT over WebSocket at path /mqtt instead of
   * mosquitto; with TLS also wss. get_port is then the ws port. */
  ANTENNA_TEST_BROKER_WEBSOCKET   = 1 << 5,
  /* With TLS: the TLS listener requires a client certificate signed by the
   * CA (get_client_cert_file/get_client_key_file). mosquitto only. */
  ANTENNA_TEST_BROKER_TLS_CLIENT_CERT = 1 << 6,
  /* queue_qos0_messages true: QoS 0 messages are queued for offline
   * persistent sessions too. mosquitto only. */
  ANTENNA_TEST_BROKER_QUEUE_QOS0  = 1 << 7,
  /* Debian's RabbitMQ 3.10 (rabbitmq-server) instead of mosquitto: MQTT over
   * TCP on get_port (= get_mqtt_port), Web MQTT on get_ws_port at
   * get_ws_path ("/ws"). It has the user get_username/get_password and lets
   * anonymous clients in too (as that user), with or without AUTH. Takes no
   * other flag, 5-12 s to start: see antenna_test_broker_get_shared(). */
  ANTENNA_TEST_BROKER_RABBITMQ    = 1 << 8,
  /* Debian's ActiveMQ Classic 5.17 (activemq, libmqtt-client-java): MQTT
   * over TCP on get_port, no WebSocket; users as RABBITMQ. 1-3 s to start. */
  ANTENNA_TEST_BROKER_ACTIVEMQ    = 1 << 9,
} AntennaTestBrokerFlags;

/* Starts the broker and waits until it accepts connections (or fails with
 * why, e.g. "mosquitto not installed"). It takes ~20-60 ms for mosquitto,
 * ~50-150 ms more with TLS (certificates made anew), 0.3-1.5 s for the node
 * broker (WEBSOCKET), more on a loaded machine. Set
 * ANTENNA_TEST_KEEP_BROKER_DIR=1 to keep the directory (config, logs,
 * certificates) after free. Broker config always has
 * max_queued_messages 1000000, max_inflight_messages 0, message_size_limit
 * 268435455 (via max_packet_size), and runs as the current user. */
AntennaTestBroker *antenna_test_broker_start          (AntennaTestBrokerFlags  flags,
                                                       GError                **error);
/* Like start, with more lines for mosquitto's config (after the defaults
 * above, before the listeners), e.g. "max_packet_size 1000" or
 * "clientid_prefixes good-". mosquitto only. */
AntennaTestBroker *antenna_test_broker_start_with_config (AntennaTestBrokerFlags  flags,
                                                       const char             *extra_config,
                                                       GError                **error);
/* Like start, but fails the test (g_error) when it cannot. */
AntennaTestBroker *antenna_test_broker_new            (AntennaTestBrokerFlags  flags);
/* The broker for @flags that the tests of this program share: started at
 * the first call, stopped by antenna_test_run() (the caller does not free
 * it). For the brokers that are slow to start. When it cannot start, NULL,
 * and the test is marked skipped when the broker's package is not installed
 * (unless ANTENNA_TEST_REQUIRE_BROKERS=1, as build-aux/test sets, which
 * installs them), else failed, with why; the test then returns. */
AntennaTestBroker *antenna_test_broker_get_shared     (AntennaTestBrokerFlags  flags);
void               antenna_test_broker_free           (AntennaTestBroker      *self);
guint              antenna_test_broker_get_port       (AntennaTestBroker      *self);
guint              antenna_test_broker_get_tls_port   (AntennaTestBroker      *self);
const char        *antenna_test_broker_get_ca_file    (AntennaTestBroker      *self);
/* A CA that did not sign the broker's certificate. */
const char        *antenna_test_broker_get_other_ca_file (AntennaTestBroker   *self);
const char        *antenna_test_broker_get_username   (AntennaTestBroker      *self);
const char        *antenna_test_broker_get_password   (AntennaTestBroker      *self);
/* The broker's temporary directory (config, persistence, certificates). */
const char        *antenna_test_broker_get_dir        (AntennaTestBroker      *self);
/* Stop (SIGTERM and wait), or send another signal (SIGKILL, SIGSTOP, SIGCONT). */
void               antenna_test_broker_stop           (AntennaTestBroker      *self);
void               antenna_test_broker_signal         (AntennaTestBroker      *self,
                                                       int                     signum);
/* Starts it again on the same ports with the same config and persistence. */
void               antenna_test_broker_restart        (AntennaTestBroker      *self);
/* The plain MQTT-over-TCP port: get_port for mosquitto; for WEBSOCKET the
 * aedes broker's TCP listener, which mosquitto_pub/sub use. */
guint              antenna_test_broker_get_mqtt_port  (AntennaTestBroker      *self);
/* The MQTT-over-WebSocket listener and its path: aedes (WEBSOCKET), port
 * and "/mqtt"; RabbitMQ, its Web MQTT listener and "/ws"; else 0 and NULL. */
guint              antenna_test_broker_get_ws_port    (AntennaTestBroker      *self);
const char        *antenna_test_broker_get_ws_path    (AntennaTestBroker      *self);
/* A client certificate and key signed by the CA (with TLS). */
const char        *antenna_test_broker_get_client_cert_file (AntennaTestBroker *self);
const char        *antenna_test_broker_get_client_key_file  (AntennaTestBroker *self);
/* That key encrypted with @passphrase (AES-256, as people often keep theirs),
 * written to @path. */
void               antenna_test_broker_write_encrypted_client_key (AntennaTestBroker *self,
                                                                   const char        *passphrase,
                                                                   const char        *path);
/* The broker's log so far (mosquitto.log, ws-broker.log, RabbitMQ's or
 * ActiveMQ's); free with g_free. */
char              *antenna_test_broker_get_log        (AntennaTestBroker      *self);

/* Where no broker answers, for the errors of connecting. A loopback port
 * that nobody listens on: a connection to it is refused at once. */
guint              antenna_test_closed_port           (void);
/* A loopback port that takes connections into the kernel's backlog and
 * never answers them (no CONNACK, no TLS handshake): a broker that does not
 * answer within the connect timeout. Sets *@port; the port closes when the
 * socket is unreffed. */
GSocket           *antenna_test_silent_listener_new   (guint                  *port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestBroker, antenna_test_broker_free)

G_END_DECLS
