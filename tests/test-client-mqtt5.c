/* test-client-mqtt5.c: the MQTT 5 CONNECT settings, and the broker's limits respected
 *
 * What a profile's MQTT 5 settings put on the wire (read back from the
 * CONNECT by the small MQTT 5 server of antenna-test-server.h), and what a
 * real mosquitto does with them: a maximum packet size it honours by not
 * sending larger messages, a will with its delay and properties that reaches
 * mosquitto_sub -V 5. The other way round, the broker's limits: a receive
 * maximum of 2 (mosquitto's max_inflight_messages, which it answers with
 * "quota exceeded" on a third QoS 2 message; the small server counts QoS 1
 * in flight exactly, and the client hands Paho no more than that), and topic aliases the broker sets, which Paho 1.3.12
 * leaves to us (mosquitto 2.0 sends none: the small server does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-relay.h"
#include "antenna-test-server.h"
#include "antenna-test-utils.h"

#define WAIT_MS 30000
#define BURST   50

typedef struct
{
  AntennaTestBroker *broker;    /* NULL with a server */
  AntennaTestServer *server;
  AntennaProfile    *profile;
  AntennaClient     *client;
  GPtrArray         *messages;  /* of AntennaMessage */
} Fixture;

static void
fixture_init (Fixture *f,
              guint    port)
{
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, port);
  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_connect_timeout (f->profile, 20);
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  f->client = antenna_client_new (f->profile);
  f->messages = g_ptr_array_new_with_free_func (g_object_unref);
  antenna_test_collect_messages (f->client, f->messages);
}

/* mosquitto with @data as more config lines. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN, data, &error);
  g_assert_no_error (error);
  fixture_init (f, antenna_test_broker_get_port (f->broker));
}

/* The small MQTT 5 server: receive maximum 2, topic alias maximum 2. */
static void
fixture_set_up_server (Fixture       *f,
                       gconstpointer  data)
{
  f->server = antenna_test_server_new_v5 (2, 2, 20);
  fixture_init (f, antenna_test_server_get_port (f->server));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->client, f->messages);
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (WAIT_MS));
  g_clear_object (&f->profile);
  g_ptr_array_unref (f->messages);
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  g_clear_pointer (&f->server, antenna_test_server_free);
}

static GBytes *
make_payload (gsize size,
              char  fill)
{
  char *data = g_malloc (size);

  memset (data, fill, size);
  return g_bytes_new_take (data, size);
}

static void
set_all_connect_settings (AntennaProfile *profile)
{
  g_autoptr(AntennaProperties) user = antenna_properties_new ();
  g_autoptr(AntennaProperties) will = antenna_properties_new ();
  g_autoptr(GBytes) will_payload = g_bytes_new_static ("gone", 4);

  antenna_profile_set_session_expiry (profile, 120);
  antenna_profile_set_receive_maximum (profile, 10);
  antenna_profile_set_maximum_packet_size (profile, 2048);
  antenna_profile_set_topic_alias_maximum (profile, 4);
  antenna_profile_set_request_response_information (profile, TRUE);
  antenna_profile_set_request_problem_information (profile, FALSE);
  antenna_properties_add_user_property (user, "site", "lab");
  antenna_properties_add_user_property (user, "tool", "antenna");
  antenna_profile_set_connect_properties (profile, user);

  antenna_profile_set_will_topic (profile, "mqtt5/will");
  antenna_profile_set_will_payload (profile, will_payload);
  antenna_profile_set_will_qos (profile, 1);
  antenna_profile_set_will_delay_interval (profile, 1);
  will->payload_format = 1;
  will->message_expiry = 600;
  will->content_type = g_strdup ("text/plain");
  will->response_topic = g_strdup ("mqtt5/reply");
  will->correlation_data = g_bytes_new_static ("c-42", 4);
  antenna_properties_add_user_property (will, "why", "test");
  antenna_profile_set_will_properties (profile, will);
}

/* ------------------------------------------------------------------------ */
/* On the wire                                                               */

/* Every setting in CONNECT and its will, each in the protocol's encoding
 * (the server decodes them: a two-byte receive maximum read as four would
 * not read back). */
static void
test_connect_properties (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *connect = NULL;
  g_autofree char *will = NULL;

  set_all_connect_settings (f->profile);
  antenna_test_connect_ok (f->client, NULL);

  connect = antenna_test_server_dup_connect_properties (f->server, 0, FALSE);
  will = antenna_test_server_dup_connect_properties (f->server, 0, TRUE);
  g_test_message ("CONNECT: %s; will: %s", connect, will);
  g_assert_cmpstr (connect, ==,
                   "0x11=120 0x21=10 0x27=2048 0x22=4 0x19=1 0x17=0 0x26=site:lab 0x26=tool:antenna");
  g_assert_cmpstr (will, ==,
                   "0x18=1 0x01=1 0x02=600 0x03=text/plain 0x08=mqtt5/reply 0x09=c-42 0x26=why:test");
  antenna_test_disconnect_ok (f->client);
}

/* A profile that leaves them at their defaults sends none of them; with
 * MQTT 3.1.1, none even when set. */
static void
test_connect_properties_defaults (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *connect = NULL;

  antenna_test_connect_ok (f->client, NULL);
  connect = antenna_test_server_dup_connect_properties (f->server, 0, FALSE);
  g_assert_cmpstr (connect, ==, "");
  antenna_test_disconnect_ok (f->client);

  set_all_connect_settings (f->profile);
  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpuint (antenna_test_server_get_n_connections (f->server), ==, 2);
  /* NULL: not an MQTT 5 CONNECT, so no properties at all */
  g_assert_null (antenna_test_server_dup_connect_properties (f->server, 1, FALSE));
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* The broker's receive maximum                                              */

/* Publishes BURST messages at once and waits for them all; returns the most
 * QoS 1 and 2 publishes the client had handed to Paho at once meanwhile. */
static guint
publish_burst (Fixture *f,
               int      qos)
{
  g_autoptr(GBytes) payload = make_payload (100, 'r');
  GAsyncResult *results[BURST] = { NULL, };
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  guint max_handed = 0;

  for (guint i = 0; i < BURST; i++)
    antenna_client_publish_full_async (f->client, "burst/receive-maximum", payload, qos, FALSE, NULL,
                                       ANTENNA_PUBLISH_FLAGS_NONE, NULL, antenna_test_store_result, &results[i]);

  while (results[BURST - 1] == NULL && g_get_monotonic_time () < deadline)
    {
      max_handed = MAX (max_handed, f->client->n_publishing_acked);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100);
    }

  for (guint i = 0; i < BURST; i++)
    {
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = antenna_test_wait_result (&results[i], WAIT_MS);

      g_assert_nonnull (result);
      if (!antenna_client_publish_finish (f->client, result, &error))
        g_error ("publish %u of the burst failed: %s", i, error->message);
      g_clear_object (&results[i]);
    }
  return max_handed;
}

/* The server's CONNACK says 2: a burst of 50 QoS 1 (and then QoS 2)
 * publishes all completes, and the server never had more than 2 in flight. */
static void
test_receive_maximum_counted (Fixture       *f,
                              gconstpointer  data)
{
  guint handed;

  antenna_test_connect_ok (f->client, NULL);

  /* Never more handed to Paho than the broker takes: Paho would hold the
   * rest back and, woken by nothing when a place frees, send one a second. */
  handed = publish_burst (f, 1);
  g_test_message ("QoS 1: at most %u in flight, %u handed to Paho",
                  antenna_test_server_get_max_in_flight (f->server), handed);
  g_assert_cmpuint (handed, <=, 2);
  g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, BURST);
  g_assert_cmpuint (antenna_test_server_get_max_in_flight (f->server), <=, 2);

  handed = publish_burst (f, 2);
  g_assert_cmpuint (handed, <=, 2);
  g_test_message ("and QoS 2: at most %u", antenna_test_server_get_max_in_flight (f->server));
  g_assert_cmpuint (antenna_test_server_get_n_publishes (f->server), ==, 2 * BURST);
  g_assert_cmpuint (antenna_test_server_get_max_in_flight (f->server), <=, 2);

  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);
}

/* mosquitto with max_inflight_messages 2 says receive maximum 2, and
 * answers a third QoS 2 message in flight with PUBREC "quota exceeded"
 * (0x97), which fails that publish: every one of the burst succeeds. */
static void
test_receive_maximum_mosquitto (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autofree char *log = NULL;

  antenna_test_connect_ok (f->client, NULL);
  sub = antenna_test_sub_start (f->broker, "burst/#", 2, TRUE);

  publish_burst (f, 2);
  publish_burst (f, 1);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2 * BURST, WAIT_MS), ==, 2 * BURST);

  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);
  log = antenna_test_broker_get_log (f->broker);
  g_assert_null (strstr (log, "protocol error"));
}

/* ------------------------------------------------------------------------ */
/* The client's limits, as a real broker honours them                        */

/* With maximum packet size 256, mosquitto does not send us a message that
 * would not fit (it drops it for us), and sends the ones that do. */
static void
test_maximum_packet_size (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) big = make_payload (1000, 'B');
  g_autoptr(GBytes) small = make_payload (20, 's');
  g_autoptr(GError) error = NULL;
  AntennaMessage *message;

  antenna_profile_set_maximum_packet_size (f->profile, 256);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "limits/#", 1);

  g_assert_true (antenna_test_pub (f->broker, "limits/big", big, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (f->broker, "limits/small", small, 1, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  /* and the big one did not come before it, nor after the small one */
  message = g_ptr_array_index (f->messages, 0);
  g_assert_cmpstr (antenna_message_get_topic (message), ==, "limits/small");
  g_assert_true (antenna_test_publish (f->client, "limits/marker", small, 1, FALSE, NULL, &error));
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  message = g_ptr_array_index (f->messages, 1);
  g_assert_cmpstr (antenna_message_get_topic (message), ==, "limits/marker");

  antenna_test_disconnect_ok (f->client);
}

/* The will, with its delay and properties, as mosquitto_sub -V 5 receives
 * it once our connection to the broker breaks. */
static void
test_will_properties (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(AntennaTestRelay) relay = antenna_test_relay_new (antenna_test_broker_get_port (f->broker));

  set_all_connect_settings (f->profile);
  antenna_profile_set_maximum_packet_size (f->profile, 0);
  antenna_profile_set_port (f->profile, antenna_test_relay_get_port (relay));
  antenna_test_connect_ok (f->client, NULL);
  sub = antenna_test_sub_start (f->broker, "mqtt5/will", 1, TRUE);

  antenna_test_relay_cut (relay);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);

  g_test_message ("will: %s", antenna_test_sub_get_properties (sub, 0));
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "mqtt5/will");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "content-type"), ==, "text/plain");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "response-topic"), ==, "mqtt5/reply");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "correlation-data"), ==, "c-42");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "user-property"), ==, "why:test");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "payload-format-indicator"), ==, "1");
  g_assert_nonnull (antenna_test_sub_get_property (sub, 0, "message-expiry-interval"));
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
}

/* ------------------------------------------------------------------------ */
/* Topic aliases from the broker                                             */

static const char *
topic_of (Fixture *f,
          guint    i)
{
  return antenna_message_get_topic (g_ptr_array_index (f->messages, i));
}

static char *
payload_of (Fixture *f,
            guint    i)
{
  GBytes *payload = antenna_message_get_payload (g_ptr_array_index (f->messages, i));

  return g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
}

/* The server sets aliases 1 and 2, uses them alone, changes 1; an alias it
 * never set, or above the 2 we allow, drops that message with a line in the
 * log (it has no topic), as does a message with neither topic nor alias;
 * the connection goes on. A new connection
 * starts with no alias. */
static void
test_topic_aliases (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const expected[][2] = {
    { "alias/one", "1" }, { "alias/two", "2" }, { "alias/one", "3" }, { "alias/two", "4" },
    { "alias/uno", "5" }, { "alias/uno", "6" }, { "alias/plain", "9" },
  };

  antenna_profile_set_topic_alias_maximum (f->profile, 2);
  antenna_test_connect_ok (f->client, NULL);

  antenna_test_server_send_publish (f->server, 0, "alias/one", 1, "1");
  antenna_test_server_send_publish (f->server, 0, "alias/two", 2, "2");
  antenna_test_server_send_publish (f->server, 0, "", 1, "3");
  antenna_test_server_send_publish (f->server, 0, "", 2, "4");
  antenna_test_server_send_publish (f->server, 0, "alias/uno", 1, "5");
  antenna_test_server_send_publish (f->server, 0, "", 1, "6");
  /* Both expected before either is sent: Paho's thread logs them, in order,
   * and GLib's list of expected messages is not for two threads at once. */
  g_test_expect_message ("antenna-client", G_LOG_LEVEL_MESSAGE, "*alias 3, which this client does not allow (its maximum is 2)*dropped*");
  g_test_expect_message ("antenna-client", G_LOG_LEVEL_MESSAGE, "*neither a topic nor a topic alias*dropped*");
  antenna_test_server_send_publish (f->server, 0, "", 3, "7");
  antenna_test_server_send_publish (f->server, 0, "", 0, "8");
  antenna_test_server_send_publish (f->server, 0, "alias/plain", 0, "9");

  g_assert_cmpuint (antenna_test_wait_messages (f->messages, G_N_ELEMENTS (expected), WAIT_MS), ==,
                    G_N_ELEMENTS (expected));
  g_test_assert_expected_messages ();
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *payload = payload_of (f, i);

      g_assert_cmpstr (topic_of (f, i), ==, expected[i][0]);
      g_assert_cmpstr (payload, ==, expected[i][1]);
    }
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);

  /* Connected again: alias 1 is not set on this connection. */
  g_ptr_array_set_size (f->messages, 0);
  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpuint (antenna_test_server_get_n_connections (f->server), ==, 2);
  g_test_expect_message ("antenna-client", G_LOG_LEVEL_MESSAGE, "*alias 1, which it never set*dropped*");
  antenna_test_server_send_publish (f->server, 1, "", 1, "stale");
  antenna_test_server_send_publish (f->server, 1, "alias/after", 0, "fresh");
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (topic_of (f, 0), ==, "alias/after");
  antenna_test_disconnect_ok (f->client);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, extra, setup, func) \
  g_test_add ("/antenna/client-mqtt5/" path, Fixture, extra, setup, func, fixture_tear_down)

  ADD ("connect-properties", NULL, fixture_set_up_server, test_connect_properties);
  ADD ("connect-properties-defaults", NULL, fixture_set_up_server, test_connect_properties_defaults);
  ADD ("receive-maximum/counted", NULL, fixture_set_up_server, test_receive_maximum_counted);
  ADD ("receive-maximum/mosquitto", "max_inflight_messages 2", fixture_set_up, test_receive_maximum_mosquitto);
  ADD ("maximum-packet-size", NULL, fixture_set_up, test_maximum_packet_size);
  ADD ("will-properties", NULL, fixture_set_up, test_will_properties);
  ADD ("topic-aliases", NULL, fixture_set_up_server, test_topic_aliases);

#undef ADD

  return antenna_test_run ();
}
