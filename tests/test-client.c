/* test-client.c: AntennaClient against a real mosquitto (and aedes for WebSockets):
 * connecting, round trips, MQTT 5, authentication, TLS, WebSockets, failures
 * (reconnection and what outlives a connection: test-client-reconnect.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>

#include "antenna-client.h"
#include "antenna-connection-log.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client-fixture.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

static gboolean
unsubscribe_all_sync (AntennaClient  *client,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_unsubscribe_all_async (client, NULL, antenna_test_store_result, &result);
  return antenna_client_unsubscribe_all_finish (client, antenna_test_wait_result (&result, WAIT_MS), error);
}

/* ------------------------------------------------------------------------ */
/* Connect and disconnect                                                    */

static void
test_connect_disconnect (Fixture       *f,
                         gconstpointer  data)
{
  const char *client_id;

  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
  antenna_test_connect_ok (f->client, NULL);

  client_id = antenna_client_get_client_id (f->client);
  g_assert_nonnull (client_id);
  g_assert_true (g_str_has_prefix (client_id, "antenna-"));
  g_assert_cmpuint (f->n_connected, ==, 1);
  g_assert_false (f->last_session_present);

  antenna_test_disconnect_ok (f->client);
  g_assert_cmpuint (f->lost->len, ==, 0);

  /* CONNECTING, CONNECTED, DISCONNECTED: each change once */
  g_assert_cmpuint (f->states->len, ==, 3);
  g_assert_cmpint (g_array_index (f->states, AntennaClientState, 0), ==, ANTENNA_CLIENT_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (f->states, AntennaClientState, 1), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  g_assert_cmpint (g_array_index (f->states, AntennaClientState, 2), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);

  /* and again, on the same object */
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_disconnect_ok (f->client);
}

static void
test_connect_client_id (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = NULL;

  antenna_profile_set_client_id (f->profile, "antenna-test-fixed-id");
  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpstr (antenna_client_get_client_id (f->client), ==, "antenna-test-fixed-id");
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* Round trips                                                               */

static void
roundtrip (Fixture *f,
           int      qos)
{
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) binary = NULL;
  g_autoptr(GBytes) big = antenna_test_random_bytes (16 * 1024 * 1024);
  g_autoptr(GBytes) from_peer = antenna_test_random_bytes (1000);
  g_autoptr(GError) error = NULL;
  guint8 all[512];
  GBytes *payloads[3];

  for (guint i = 0; i < sizeof all; i++)
    all[i] = (guint8) i;  /* NULs included */
  binary = g_bytes_new (all, sizeof all);
  payloads[0] = empty;
  payloads[1] = binary;
  payloads[2] = big;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "rt/#", qos);
  peer = antenna_test_sub_start (f->broker, "rt/#", qos, FALSE);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *topic = g_strdup_printf ("rt/%u", i);

      publish_ok (f->client, topic, payloads[i], qos, FALSE);
    }

  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 3, WAIT_MS), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *topic = g_strdup_printf ("rt/%u", i);
      AntennaMessage *m = message_at (f, i);

      g_assert_cmpstr (antenna_message_get_topic (m), ==, topic);
      assert_bytes_equal (antenna_message_get_payload (m), payloads[i]);
      g_assert_cmpint (antenna_message_get_qos (m), ==, qos);
      g_assert_false (antenna_message_get_retain (m));
      g_assert_cmpint (antenna_message_get_direction (m), ==, ANTENNA_MESSAGE_RECEIVED);
      g_assert_cmpint (antenna_message_get_timestamp (m), >, 0);
    }

  /* An independent client saw the same bytes. */
  g_assert_cmpuint (antenna_test_sub_wait (peer, 3, WAIT_MS), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_bytes_equal (antenna_test_sub_get_payload (peer, i), payloads[i]);

  /* And what it publishes reaches us byte-exact. */
  g_assert_true (antenna_test_pub (f->broker, "rt/peer", from_peer, qos, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 4, WAIT_MS), ==, 4);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 3)), ==, "rt/peer");
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 3)), from_peer);

  /* Exactly once. */
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 4);

  {
    g_autoptr(AntennaSubscription) sub = g_list_model_get_item (antenna_client_get_subscriptions (f->client), 0);

    g_assert_cmpuint (antenna_subscription_get_message_count (sub), ==, 4);
  }

  antenna_test_disconnect_ok (f->client);
}

static void
test_roundtrip_qos0 (Fixture *f, gconstpointer data) { roundtrip (f, 0); }
static void
test_roundtrip_qos1 (Fixture *f, gconstpointer data) { roundtrip (f, 1); }
static void
test_roundtrip_qos2 (Fixture *f, gconstpointer data) { roundtrip (f, 2); }

/* Many publishes at once (more than Paho buffers), each received exactly
 * once, in order. */
static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  const guint n = 5000;
  guint n_done = 0;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "many/#", 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));

      antenna_client_publish_async (f->client, "many/x", payload, i % 3, FALSE, NULL, NULL,
                                    on_publish_counted, &n_done);
    }

  g_assert_cmpuint (antenna_test_wait_messages (f->messages, n, 60000), ==, n);
  while (n_done < n)
    g_main_context_iteration (NULL, TRUE);
  antenna_test_iterate_for (500);
  g_assert_cmpuint (f->messages->len, ==, n);
  g_assert_cmpuint (f->n_batches, <, n);

  /* Each one once; in order within a QoS (MQTT orders per QoS: a QoS 2
   * message is forwarded on PUBREL, after later QoS 0 ones). */
  {
    g_autofree guint8 *seen = g_malloc0 (n);
    int last[3] = { -1, -1, -1 };

    for (guint i = 0; i < n; i++)
      {
        GBytes *payload = antenna_message_get_payload (message_at (f, i));
        g_autofree char *text = g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
        guint k = (guint) g_ascii_strtoull (text, NULL, 10);

        g_assert_cmpuint (k, <, n);
        g_assert_cmpuint (seen[k], ==, 0);
        seen[k] = 1;
        g_assert_cmpint ((int) k, >, last[k % 3]);
        last[k % 3] = (int) k;
      }
  }

  g_test_message ("%u messages in %u batches", n, f->n_batches);
  antenna_test_disconnect_ok (f->client);
}

static void
test_retained (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("kept", 4);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_test_pub (f->broker, "ret/a", payload, 1, TRUE, &error));
  g_assert_no_error (error);

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "ret/#", 1);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  g_assert_true (antenna_message_get_retain (message_at (f, 0)));
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 0)), payload);

  /* our own retained publish, and its removal */
  publish_ok (f->client, "ret/b", payload, 1, TRUE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  publish_ok (f->client, "ret/b", empty, 1, TRUE);
  publish_ok (f->client, "ret/a", empty, 1, TRUE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 4, WAIT_MS), ==, 4);
  antenna_test_disconnect_ok (f->client);
}

static void
test_unsubscribe (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  GListModel *subs;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "a/#", 1);
  antenna_test_subscribe_ok (f->client, "b/#", 1);
  antenna_test_subscribe_ok (f->client, "c/#", 0);
  subs = antenna_client_get_subscriptions (f->client);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 3);

  g_assert_true (antenna_test_unsubscribe (f->client, "a/#", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 2);

  publish_ok (f->client, "a/1", payload, 1, FALSE);
  publish_ok (f->client, "b/1", payload, 1, FALSE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 0)), ==, "b/1");

  g_assert_true (unsubscribe_all_sync (f->client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 0);

  publish_ok (f->client, "b/2", payload, 1, FALSE);
  publish_ok (f->client, "c/2", payload, 1, FALSE);
  antenna_test_iterate_for (500);
  g_assert_cmpuint (f->messages->len, ==, 1);

  /* nothing left: still fine */
  g_assert_true (unsubscribe_all_sync (f->client, &error));
  g_assert_no_error (error);
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* MQTT 5                                                                    */

static void
test_v5_properties (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"a\":1}", 7);
  g_autoptr(GError) error = NULL;
  AntennaProperties *got;
  static const guint8 corr[] = { 0, 1, 2, 0xff, 0 };

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("reply/here");
  props->correlation_data = g_bytes_new (corr, sizeof corr);
  props->message_expiry = 3600;
  antenna_properties_add_user_property (props, "k1", "v1");
  antenna_properties_add_user_property (props, "k1", "second");
  antenna_properties_add_user_property (props, "name with space", "välue");

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "p/#", 1);
  peer = antenna_test_sub_start (f->broker, "p/#", 1, TRUE);

  g_assert_true (antenna_test_publish (f->client, "p/1", payload, 1, FALSE, props, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);

  got = antenna_message_get_properties (message_at (f, 0));
  g_assert_cmpstr (got->content_type, ==, "application/json");
  g_assert_cmpint (got->payload_format, ==, 1);
  g_assert_cmpstr (got->response_topic, ==, "reply/here");
  assert_bytes_equal (got->correlation_data, props->correlation_data);
  g_assert_cmpint (got->message_expiry, >=, 3590);
  g_assert_cmpint (got->message_expiry, <=, 3600);
  g_assert_cmpuint (got->user_properties->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpstr (g_ptr_array_index (got->user_properties, i), ==, g_ptr_array_index (props->user_properties, i));

  /* what an independent client sees */
  g_assert_cmpuint (antenna_test_sub_wait (peer, 1, WAIT_MS), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_property (peer, 0, "content-type"), ==, "application/json");
  g_assert_cmpstr (antenna_test_sub_get_property (peer, 0, "response-topic"), ==, "reply/here");

  /* from an independent client */
  {
    const char * const args[] = { "-V", "5", "-D", "publish", "user-property", "from", "peer",
                                  "-D", "publish", "content-type", "text/plain", NULL };

    g_assert_true (antenna_test_pub_full (f->broker, "p/2", payload, 1, FALSE, args, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  got = antenna_message_get_properties (message_at (f, 1));
  g_assert_cmpstr (got->content_type, ==, "text/plain");
  g_assert_cmpuint (got->user_properties->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (got->user_properties, 0), ==, "from");
  g_assert_cmpstr (g_ptr_array_index (got->user_properties, 1), ==, "peer");

  antenna_test_disconnect_ok (f->client);
}

static void
test_v5_no_local (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AntennaSubscription) sub = antenna_subscription_new ("nl/#", 1);
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  antenna_subscription_set_no_local (sub, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpint (antenna_test_subscribe (f->client, sub, &error), ==, 1);
  g_assert_no_error (error);

  publish_ok (f->client, "nl/own", payload, 1, FALSE);
  g_assert_true (antenna_test_pub (f->broker, "nl/peer", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 0)), ==, "nl/peer");
  antenna_test_disconnect_ok (f->client);
}

static void
test_v5_retain_options (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AntennaSubscription) no_retained = antenna_subscription_new ("rh/#", 1);
  g_autoptr(AntennaSubscription) rap = antenna_subscription_new ("rap/#", 1);
  g_autoptr(AntennaSubscription) plain = antenna_subscription_new ("plain/#", 1);
  g_autoptr(GBytes) payload = g_bytes_new_static ("r", 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_test_pub (f->broker, "rh/a", payload, 1, TRUE, &error));
  g_assert_no_error (error);

  antenna_subscription_set_retain_handling (no_retained, ANTENNA_RETAIN_HANDLING_DO_NOT_SEND);
  antenna_subscription_set_retain_as_published (rap, TRUE);

  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpint (antenna_test_subscribe (f->client, no_retained, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (antenna_test_subscribe (f->client, rap, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (antenna_test_subscribe (f->client, plain, &error), ==, 1);
  g_assert_no_error (error);

  /* retain handling 2: the retained message is not sent on subscribe */
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 0);

  /* retain as published: the flag stays on a live message; without it, it is cleared */
  g_assert_true (antenna_test_pub (f->broker, "rap/1", payload, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (f->broker, "plain/1", payload, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 0)), ==, "rap/1");
  g_assert_true (antenna_message_get_retain (message_at (f, 0)));
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 1)), ==, "plain/1");
  g_assert_false (antenna_message_get_retain (message_at (f, 1)));

  /* clean up the retained messages of this broker */
  publish_ok (f->client, "rh/a", NULL, 1, TRUE);
  publish_ok (f->client, "rap/1", NULL, 1, TRUE);
  publish_ok (f->client, "plain/1", NULL, 1, TRUE);
  antenna_test_disconnect_ok (f->client);
}

static void
test_v5_maximum_packet_size (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint max;
  guint8 *huge_data;
  g_autoptr(GBytes) huge = NULL;

  antenna_test_connect_ok (f->client, NULL);
  max = antenna_client_get_maximum_packet_size (f->client);
  g_test_message ("broker maximum packet size %u", max);

  /* A payload of the largest Remaining Length cannot fit with its headers.
   * calloc'd: pages never touched, since it is refused before anything is sent. */
  huge_data = g_malloc0 (ANTENNA_MQTT_MAX_PAYLOAD);
  huge = g_bytes_new_take (huge_data, ANTENNA_MQTT_MAX_PAYLOAD);
  g_assert_false (antenna_test_publish (f->client, "big/x", huge, 1, FALSE, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_true (strstr (error->message, "268435455") || strstr (error->message, "268,435,455"));
  g_clear_error (&error);

  /* still connected and working */
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  publish_ok (f->client, "big/y", NULL, 1, FALSE);
  g_assert_cmpuint (f->lost->len, ==, 0);
  antenna_test_disconnect_ok (f->client);
}

/* mosquitto 2.0 closes a taken-over session without a DISCONNECT; this
 * one-connection MQTT 5 server answers CONNECT, then sends DISCONNECT 0x8E
 * with a reason string, as brokers such as EMQX and HiveMQ do. */
typedef struct
{
  GSocketService *service;
  guint           port;
  GPtrArray      *connections;
} KickServer;

static gboolean
kick_cb (gpointer data)
{
  static const guint8 disconnect[] = { 0xE0, 0x0E, 0x8E, 0x0C, 0x1F, 0x00, 0x09,
                                       't', 'a', 'k', 'e', 'n', ' ', 'o', 'v', 'r' };
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (data));

  g_output_stream_write_all (out, disconnect, sizeof disconnect, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (data), NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_kick_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GSocketConnection *connection = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  static const guint8 connack[] = { 0x20, 0x03, 0x00, 0x00, 0x00 };
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  if (n <= 0)
    return;
  /* the CONNECT arrived (whole, it is small): accept, then kick */
  g_output_stream_write_all (out, connack, sizeof connack, NULL, NULL, NULL);
  g_timeout_add (300, kick_cb, connection);
}

static gboolean
on_kick_incoming (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source_object,
                  KickServer        *server)
{
  static guint8 buffer[1024];

  g_ptr_array_add (server->connections, g_object_ref (connection));
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             on_kick_read, connection);
  return TRUE;
}

static void
test_v5_server_disconnect (Fixture       *f,
                           gconstpointer  data)
{
  KickServer server = { 0 };
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  const GError *lost;

  server.connections = g_ptr_array_new_with_free_func (g_object_unref);
  server.service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server.service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server.service, "incoming", G_CALLBACK (on_kick_incoming), &server);
  g_socket_service_start (server.service);

  antenna_profile_set_port (f->profile, server.port);
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  antenna_test_connect_ok (f->client, NULL);

  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  g_assert_cmpuint (f->lost->len, ==, 1);
  lost = g_ptr_array_index (f->lost, 0);
  g_test_message ("%s", lost->message);
  g_assert_error (lost, ANTENNA_ERROR, ANTENNA_ERROR_SERVER_DISCONNECTED);
  g_assert_nonnull (strstr (lost->message, "another client connected with the same client ID (session taken over)"));
  g_assert_nonnull (strstr (lost->message, "taken ovr"));
  g_assert_nonnull (strstr (lost->message, "127.0.0.1"));
  /* the connection log has it once, with the DISCONNECT's reason code */
  {
    GListModel *log = G_LIST_MODEL (antenna_client_get_log (f->client));
    guint n_found = 0;

    for (guint i = 0; i < g_list_model_get_n_items (log); i++)
      {
        g_autoptr(AntennaConnectionLogEntry) entry = g_list_model_get_item (log, i);

        if (g_str_equal (antenna_connection_log_entry_get_text (entry), lost->message))
          {
            g_assert_cmpstr (antenna_connection_log_entry_get_detail (entry), ==, "DISCONNECT 0x8E");
            n_found++;
          }
      }
    g_assert_cmpuint (n_found, ==, 1);
  }

  g_socket_service_stop (server.service);
  g_socket_listener_close (G_SOCKET_LISTENER (server.service));
  g_clear_object (&server.service);
  g_ptr_array_unref (server.connections);
}

/* With mosquitto 2.0 a taken-over session is just closed. */
static void
test_session_taken_over (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AntennaProfile) other_profile = make_profile (f, antenna_profile_get_mqtt_version (f->profile));
  g_autoptr(AntennaClient) other = NULL;
  const GError *lost;

  antenna_profile_set_client_id (f->profile, "antenna-same-id");
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  antenna_profile_set_client_id (other_profile, "antenna-same-id");
  antenna_profile_set_auto_reconnect (other_profile, FALSE);

  antenna_test_connect_ok (f->client, NULL);
  other = antenna_client_new (other_profile);
  antenna_test_connect_ok (other, NULL);

  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  g_assert_cmpuint (f->lost->len, ==, 1);
  lost = g_ptr_array_index (f->lost, 0);
  g_test_message ("%s", lost->message);
  g_assert_true (g_error_matches (lost, ANTENNA_ERROR, ANTENNA_ERROR_SERVER_DISCONNECTED) ||
                 g_error_matches (lost, ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST));
  g_assert_nonnull (strstr (lost->message, "127.0.0.1"));
  g_assert_cmpint (antenna_client_get_state (other), ==, ANTENNA_CLIENT_STATE_CONNECTED);

  antenna_test_disconnect_ok (other);
}

/* ------------------------------------------------------------------------ */
/* Authentication and authorisation                                          */

static void
test_auth_accepted (Fixture       *f,
                    gconstpointer  data)
{
  antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  antenna_test_connect_ok (f->client, antenna_test_broker_get_password (f->broker));
  antenna_test_disconnect_ok (f->client);
}

static void
test_auth_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  g_assert_false (antenna_test_connect (f->client, "not the password", &error));
  g_test_message ("%s", error->message);
  /* mosquitto 2 says "not authorised" (CONNACK 5, reason 0x87) to a bad password */
  g_assert_true (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS) ||
                 g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_AUTHORIZED));
  g_assert_nonnull (strstr (error->message, "bad user name or password"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
  g_clear_error (&error);

  /* and then the right one */
  antenna_test_connect_ok (f->client, antenna_test_broker_get_password (f->broker));
  antenna_test_disconnect_ok (f->client);
}

static void
test_auth_forbidden_subscription (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(AntennaSubscription) forbidden = antenna_subscription_new ("forbidden/#", 1);
  g_autoptr(AntennaSubscription) listed = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("ok", 2);
  g_autoptr(GError) error = NULL;
  GListModel *subs;

  antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  antenna_test_connect_ok (f->client, antenna_test_broker_get_password (f->broker));

  antenna_test_subscribe (f->client, forbidden, &error);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_SUBSCRIPTION_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "forbidden/#"));
  g_assert_nonnull (strstr (error->message, "not authori"));
  g_clear_error (&error);

  subs = antenna_client_get_subscriptions (f->client);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 1);
  listed = g_list_model_get_item (subs, 0);
  g_assert_cmpint (antenna_subscription_get_state (listed), ==, ANTENNA_SUBSCRIPTION_STATE_REFUSED);
  g_assert_nonnull (antenna_subscription_get_error (listed));

  /* the others still work */
  antenna_test_subscribe_ok (f->client, "fine/#", 1);
  publish_ok (f->client, "fine/1", payload, 1, FALSE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);

  /* unsubscribing a refused one just drops it */
  g_assert_true (antenna_test_unsubscribe (f->client, "forbidden/#", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 1);
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* TLS                                                                       */

static void
use_tls (Fixture    *f,
         const char *ca_file)
{
  antenna_profile_set_transport (f->profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (f->profile, antenna_test_broker_get_tls_port (f->broker));
  antenna_profile_set_tls_ca_file (f->profile, ca_file);
}

static void
test_tls_accepted (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) payload = antenna_test_random_bytes (100000);

  use_tls (f, antenna_test_broker_get_ca_file (f->broker));
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "tls/#", 2);
  publish_ok (f->client, "tls/1", payload, 2, FALSE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 0)), payload);
  antenna_test_disconnect_ok (f->client);

  /* "localhost" is in the certificate too */
  antenna_profile_set_host (f->profile, "localhost");
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_disconnect_ok (f->client);
}

static void
assert_tls_refused (Fixture    *f,
                    const char *cause)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (antenna_test_connect (f->client, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, cause));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

static void
test_tls_other_ca (Fixture       *f,
                   gconstpointer  data)
{
  use_tls (f, antenna_test_broker_get_other_ca_file (f->broker));
  assert_tls_refused (f, "unknown CA");

  /* allow-insecure: no check at all */
  antenna_profile_set_tls_allow_insecure (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_disconnect_ok (f->client);
}

static void
test_tls_wrong_host (Fixture       *f,
                     gconstpointer  data)
{
  use_tls (f, antenna_test_broker_get_ca_file (f->broker));
  assert_tls_refused (f, "host name");

  antenna_profile_set_tls_allow_insecure (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_disconnect_ok (f->client);
}

static void
test_tls_expired (Fixture       *f,
                  gconstpointer  data)
{
  use_tls (f, antenna_test_broker_get_ca_file (f->broker));
  assert_tls_refused (f, "expired");
}

static void
test_tls_plain_port (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* TLS to a plain MQTT listener */
  antenna_profile_set_transport (f->profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  g_assert_false (antenna_test_connect (f->client, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

/* ------------------------------------------------------------------------ */
/* WebSockets, against aedes                                                 */

static void
test_websocket (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) payload = antenna_test_random_bytes (70000);
  g_autoptr(GError) error = NULL;

  antenna_profile_set_transport (f->profile, ANTENNA_TRANSPORT_WS);
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_ws_path (f->profile, "/mqtt");
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "ws/#", 1);
  publish_ok (f->client, "ws/1", payload, 1, FALSE);
  g_assert_true (antenna_test_pub (f->broker, "ws/2", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 0)), payload);
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 1)), payload);
  antenna_test_disconnect_ok (f->client);

  /* wss */
  antenna_profile_set_transport (f->profile, ANTENNA_TRANSPORT_WSS);
  antenna_profile_set_port (f->profile, antenna_test_broker_get_tls_port (f->broker));
  antenna_profile_set_tls_ca_file (f->profile, antenna_test_broker_get_ca_file (f->broker));
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "wss/#", 2);
  publish_ok (f->client, "wss/1", payload, 2, FALSE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 3, WAIT_MS), ==, 3);
  assert_bytes_equal (antenna_message_get_payload (message_at (f, 2)), payload);
  antenna_test_disconnect_ok (f->client);
}

/* aedes speaks MQTT 3.1.1 only: CONNACK 1, and the code on which the
 * window offers MQTT 3.1.1 (test-brokers.c has every broker's answer). */
static void
test_unsupported_version (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (antenna_test_connect (f->client, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROTOCOL_VERSION);
  g_assert_nonnull (strstr (error->message, "does not support MQTT 5"));
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

/* ------------------------------------------------------------------------ */
/* Failures to connect                                                       */

static void
test_unreachable_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint port = antenna_test_closed_port ();

  antenna_profile_set_port (f->profile, port);
  address = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_false (antenna_test_connect (f->client, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

static void
test_unreachable_timeout (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GError) error = NULL;
  guint port;
  gint64 start, elapsed;

  listener = antenna_test_silent_listener_new (&port);
  antenna_profile_set_port (f->profile, port);
  antenna_profile_set_connect_timeout (f->profile, 2);

  start = g_get_monotonic_time ();
  g_assert_false (antenna_test_connect (f->client, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%s (after %.1f s)", error->message, elapsed / 1e6);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "did not answer within 2 seconds"));
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_connect_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  listener = antenna_test_silent_listener_new (&port);
  antenna_profile_set_port (f->profile, port);
  antenna_profile_set_connect_timeout (f->profile, 30);

  antenna_client_connect_async (f->client, NULL, cancellable, antenna_test_store_result, &result);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTING);
  g_timeout_add (200, cancel_cb, cancellable);
  g_assert_false (antenna_client_connect_finish (f->client, antenna_test_wait_result (&result, WAIT_MS), &error));
  /* The cancellation ended it, not the 30 s connect timeout (which would
   * be ANTENNA_ERROR_TIMEOUT). */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

/* ------------------------------------------------------------------------ */
/* Invalid input is refused before anything is sent                          */

static void
test_invalid_topics (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  const char *bad_names[] = { "", "a/+/b", "a/#", "#" };
  const char *bad_filters[] = { "", "a/#/b", "a+/b", "a/b#" };

  antenna_test_connect_ok (f->client, NULL);
  peer = antenna_test_sub_start (f->broker, "#", 1, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_false (antenna_test_publish (f->client, bad_names[i], payload, 1, FALSE, NULL, &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      g_test_message ("“%s”: %s", bad_names[i], error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_filters); i++)
    {
      g_autoptr(AntennaSubscription) sub = antenna_subscription_new (bad_filters[i], 0);
      g_autoptr(GAsyncResult) result = NULL;

      antenna_client_unsubscribe_async (f->client, bad_filters[i], NULL, antenna_test_store_result, &result);
      g_assert_false (antenna_client_unsubscribe_finish (f->client, antenna_test_wait_result (&result, WAIT_MS), &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      g_clear_error (&error);

      antenna_test_subscribe (f->client, sub, &error);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      g_test_message ("“%s”: %s", bad_filters[i], error->message);
      g_clear_error (&error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (antenna_client_get_subscriptions (f->client)), ==, 0);

  /* QoS 3 does not exist */
  g_assert_false (antenna_test_publish (f->client, "ok/topic", payload, 3, FALSE, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* a marker: the only thing the peer ever sees */
  publish_ok (f->client, "marker", payload, 1, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (peer, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (peer), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (peer, 0), ==, "marker");
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);
}

static void
test_not_connected (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaSubscription) sub = antenna_subscription_new ("a/b", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("Not connected to 127.0.0.1:%u.", antenna_test_broker_get_port (f->broker));

  g_assert_false (antenna_test_publish (f->client, "a/b", NULL, 0, FALSE, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED);
  g_assert_cmpstr (error->message, ==, address);
  g_clear_error (&error);

  antenna_test_subscribe (f->client, sub, &error);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* disconnecting a disconnected client is fine */
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  ADD ("/antenna/client/connect/v311", &v311, test_connect_disconnect);
  ADD ("/antenna/client/connect/v5", &v5, test_connect_disconnect);
  ADD ("/antenna/client/connect/client-id", &v5, test_connect_client_id);
  ADD ("/antenna/client/connect/cancelled", &none5, test_connect_cancelled);
  ADD ("/antenna/client/connect/not-connected", &v5, test_not_connected);
  ADD ("/antenna/client/unreachable/refused", &none5, test_unreachable_refused);
  ADD ("/antenna/client/unreachable/timeout", &none5, test_unreachable_timeout);

  ADD ("/antenna/client/publish/qos0", &v311, test_roundtrip_qos0);
  ADD ("/antenna/client/publish/qos1", &v5, test_roundtrip_qos1);
  ADD ("/antenna/client/publish/qos2", &v311, test_roundtrip_qos2);
  ADD ("/antenna/client/publish/qos2-v5", &v5, test_roundtrip_qos2);
  ADD ("/antenna/client/publish/exactly-once", &v5, test_exactly_once);
  ADD ("/antenna/client/publish/exactly-once-v311", &v311, test_exactly_once);
  ADD ("/antenna/client/publish/retained", &v311, test_retained);
  ADD ("/antenna/client/publish/invalid-topics", &v5, test_invalid_topics);
  ADD ("/antenna/client/subscribe/unsubscribe", &v5, test_unsubscribe);
  ADD ("/antenna/client/subscribe/unsubscribe-v311", &v311, test_unsubscribe);

  ADD ("/antenna/client/v5/properties", &v5, test_v5_properties);
  ADD ("/antenna/client/v5/no-local", &v5, test_v5_no_local);
  ADD ("/antenna/client/v5/retain-options", &v5, test_v5_retain_options);
  ADD ("/antenna/client/v5/maximum-packet-size", &v5, test_v5_maximum_packet_size);
  ADD ("/antenna/client/v5/server-disconnect", &none5, test_v5_server_disconnect);
  ADD ("/antenna/client/session-taken-over", &v5, test_session_taken_over);

  ADD ("/antenna/client/auth/accepted", &auth5, test_auth_accepted);
  ADD ("/antenna/client/auth/refused", &auth311, test_auth_refused);
  ADD ("/antenna/client/auth/refused-v5", &auth5, test_auth_refused);
  ADD ("/antenna/client/auth/forbidden-subscription", &auth_aedes, test_auth_forbidden_subscription);

  ADD ("/antenna/client/tls/accepted", &tls5, test_tls_accepted);
  ADD ("/antenna/client/tls/other-ca", &tls5, test_tls_other_ca);
  ADD ("/antenna/client/tls/wrong-host", &tls_wrong_host, test_tls_wrong_host);
  ADD ("/antenna/client/tls/expired", &tls_expired, test_tls_expired);
  ADD ("/antenna/client/tls/plain-port", &tls5, test_tls_plain_port);

  ADD ("/antenna/client/connect/unsupported-version", &ws5, test_unsupported_version);
  ADD ("/antenna/client/websocket/v311", &ws311, test_websocket);

  return antenna_test_run ();
}
