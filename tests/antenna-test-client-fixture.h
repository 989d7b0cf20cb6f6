/* antenna-test-client-fixture.h: the fixture of test-client and test-client-reconnect
 *
 * A broker (or none), a profile and a client on it, and everything the
 * client said: the messages, the lost connections, the states.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-client.h"
#include "antenna-test-broker.h"

G_BEGIN_DECLS

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
  GPtrArray         *messages;     /* of AntennaMessage, every one received */
  guint              n_batches;
  GPtrArray         *lost;         /* of GError */
  GArray            *states;       /* of AntennaClientState, every change */
  guint              n_connected;
  gboolean           last_session_present;
} Fixture;

typedef struct
{
  AntennaTestBrokerFlags flags;
  AntennaMqttVersion     version;
} Params;

static const Params v311 = { ANTENNA_TEST_BROKER_PLAIN, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params v5 = { ANTENNA_TEST_BROKER_PLAIN, ANTENNA_MQTT_VERSION_5 };
static const Params auth311 = { ANTENNA_TEST_BROKER_AUTH, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params auth5 = { ANTENNA_TEST_BROKER_AUTH, ANTENNA_MQTT_VERSION_5 };
/* aedes refuses a subscription the ACL denies (SUBACK 0x80); mosquitto 2.0
 * grants it and filters at delivery. */
static const Params auth_aedes = { ANTENNA_TEST_BROKER_AUTH | ANTENNA_TEST_BROKER_WEBSOCKET, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params tls5 = { ANTENNA_TEST_BROKER_TLS, ANTENNA_MQTT_VERSION_5 };
static const Params tls_wrong_host = { ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_WRONG_HOST, ANTENNA_MQTT_VERSION_5 };
static const Params tls_expired = { ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_EXPIRED, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params ws5 = { ANTENNA_TEST_BROKER_WEBSOCKET | ANTENNA_TEST_BROKER_TLS, ANTENNA_MQTT_VERSION_5 };
static const Params ws311 = { ANTENNA_TEST_BROKER_WEBSOCKET | ANTENNA_TEST_BROKER_TLS, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params persistent5 = { ANTENNA_TEST_BROKER_PERSISTENCE, ANTENNA_MQTT_VERSION_5 };
static const Params none5 = { 0xffff, ANTENNA_MQTT_VERSION_5 };

void            fixture_setup       (Fixture            *f,
                                     gconstpointer       data);
void            fixture_teardown    (Fixture            *f,
                                     gconstpointer       data);
AntennaProfile *make_profile        (Fixture            *f,
                                     AntennaMqttVersion  version);
void            publish_ok          (AntennaClient      *client,
                                     const char         *topic,
                                     GBytes             *payload,
                                     int                 qos,
                                     gboolean            retain);
AntennaMessage *message_at          (Fixture            *f,
                                     guint               i);
void            assert_bytes_equal  (GBytes             *a,
                                     GBytes             *b);
/* A GAsyncReadyCallback for antenna_client_publish_async() that asserts
 * success and counts in *@user_data (a guint). */
void            on_publish_counted  (GObject            *object,
                                     GAsyncResult       *result,
                                     gpointer            user_data);

#define ADD(path, params, func) \
  g_test_add (path, Fixture, params, fixture_setup, func, fixture_teardown)

G_END_DECLS
