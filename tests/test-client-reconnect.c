/* test-client-reconnect.c: AntennaClient across connections, against a real mosquitto:
 * reconnection, sessions and subscriptions restored, the last will, the
 * receive thread's priority, a client finalized while messages arrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#ifdef __linux__
# include <sys/resource.h>
#endif

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client-fixture.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

/* ------------------------------------------------------------------------ */
/* Reconnection                                                              */

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("again", 5);
  g_autoptr(AntennaSubscription) sub = NULL;
  g_autoptr(GError) error = NULL;
  const GError *lost;
  GListModel *subs;
  gint64 lost_at, back_at;

  antenna_profile_set_auto_reconnect (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "rc/#", 1);
  subs = antenna_client_get_subscriptions (f->client);
  sub = g_list_model_get_item (subs, 0);

  antenna_test_broker_stop (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_RECONNECTING, WAIT_MS));
  lost_at = g_get_monotonic_time ();
  g_assert_cmpuint (f->lost->len, ==, 1);
  lost = g_ptr_array_index (f->lost, 0);
  g_assert_error (lost, ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (lost->message, "127.0.0.1"));
  g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_PENDING);

  /* publishing while reconnecting: refused, not lost silently */
  g_assert_false (antenna_test_publish (f->client, "rc/x", payload, 1, FALSE, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* a few failed attempts, then the broker is back */
  antenna_test_iterate_for (2500);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_RECONNECTING);
  antenna_test_broker_restart (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_CONNECTED, 40000));
  back_at = g_get_monotonic_time ();
  g_test_message ("back after %.1f s", (back_at - lost_at) / 1e6);
  g_assert_cmpuint (f->n_connected, ==, 2);
  g_assert_false (f->last_session_present);

  /* the subscription is restored */
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 1);
  while (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_PENDING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_ACTIVE);

  g_assert_true (antenna_test_pub (f->broker, "rc/1", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  publish_ok (f->client, "rc/2", payload, 1, FALSE);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);

  /* CONNECTING, CONNECTED, RECONNECTING, CONNECTED: only changes */
  g_assert_cmpuint (f->states->len, ==, 4);
  g_assert_cmpint (g_array_index (f->states, AntennaClientState, 2), ==, ANTENNA_CLIENT_STATE_RECONNECTING);
  g_assert_cmpint (g_array_index (f->states, AntennaClientState, 3), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);
}

/* A persistent session survives the broker's restart: nothing to subscribe
 * again, the subscription is active as soon as the CONNACK says so, and what
 * was published meanwhile arrives. */
static void
test_reconnect_session (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("kept", 4);
  g_autoptr(AntennaSubscription) sub = NULL;
  g_autoptr(GError) error = NULL;

  antenna_profile_set_client_id (f->profile, "antenna-persistent");
  antenna_profile_set_clean_start (f->profile, FALSE);
  antenna_profile_set_session_expiry (f->profile, 3600);
  antenna_profile_set_auto_reconnect (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "ps/#", 1);
  sub = g_list_model_get_item (antenna_client_get_subscriptions (f->client), 0);

  antenna_test_broker_stop (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_RECONNECTING, WAIT_MS));
  g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_PENDING);
  antenna_test_broker_restart (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_CONNECTED, 40000));
  g_assert_true (f->last_session_present);
  g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_ACTIVE);
  g_assert_cmpint (antenna_subscription_get_granted_qos (sub), ==, 1);

  g_assert_true (antenna_test_pub (f->broker, "ps/1", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 1);
  antenna_test_disconnect_ok (f->client);
}

/* The profile's saved subscriptions are subscribed on connect, with their options. */
static void
test_profile_subscriptions (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AntennaSubscription) a = antenna_subscription_new ("saved/a/#", 1);
  g_autoptr(AntennaSubscription) b = antenna_subscription_new ("saved/b", 0);
  g_autoptr(GBytes) payload = g_bytes_new_static ("s", 1);
  GListModel *subs;

  antenna_subscription_set_no_local (a, TRUE);
  antenna_profile_add_subscription (f->profile, a);
  antenna_profile_add_subscription (f->profile, b);

  antenna_test_connect_ok (f->client, NULL);
  subs = antenna_client_get_subscriptions (f->client);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (subs, i);

      while (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_PENDING)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_ACTIVE);
      /* a copy: the profile's own objects are not live state */
      g_assert_true (sub != a && sub != b);
    }
  g_assert_cmpint (antenna_subscription_get_state (a), ==, ANTENNA_SUBSCRIPTION_STATE_INACTIVE);

  {
    g_autoptr(GError) error = NULL;

    /* no local on saved/a/#: our own message there does not come back */
    publish_ok (f->client, "saved/a/1", payload, 1, FALSE);
    publish_ok (f->client, "saved/b", payload, 0, FALSE);
    g_assert_true (antenna_test_pub (f->broker, "saved/a/2", payload, 1, FALSE, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 2);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 0)), ==, "saved/b");
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 1)), ==, "saved/a/2");
  antenna_test_disconnect_ok (f->client);
}

/* A person disconnects and connects again: what they subscribed to by hand
 * stays listed (inactive) in between and is subscribed again. */
static void
test_manual_reconnect_subscriptions (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(AntennaSubscription) listed = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("back", 4);
  g_autoptr(GError) error = NULL;
  GListModel *subs = antenna_client_get_subscriptions (f->client);

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "typed/#", 1);
  antenna_test_disconnect_ok (f->client);

  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 1);
  listed = g_list_model_get_item (subs, 0);
  g_assert_cmpstr (antenna_subscription_get_filter (listed), ==, "typed/#");
  g_assert_cmpint (antenna_subscription_get_state (listed), ==, ANTENNA_SUBSCRIPTION_STATE_INACTIVE);

  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 1);
  while (antenna_subscription_get_state (listed) == ANTENNA_SUBSCRIPTION_STATE_PENDING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (antenna_subscription_get_state (listed), ==, ANTENNA_SUBSCRIPTION_STATE_ACTIVE);
  g_assert_cmpint (antenna_subscription_get_granted_qos (listed), ==, 1);

  g_assert_true (antenna_test_pub (f->broker, "typed/x", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  g_assert_cmpstr (antenna_message_get_topic (message_at (f, 0)), ==, "typed/x");

  /* disconnected, unsubscribing only takes it off the list */
  antenna_test_disconnect_ok (f->client);
  g_assert_true (antenna_test_unsubscribe (f->client, "typed/#", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subs), ==, 0);
}

static void
on_message_sent (AntennaClient  *client,
                 AntennaMessage *message,
                 GPtrArray      *sent)
{
  g_ptr_array_add (sent, g_object_ref (message));
}

static void
test_message_sent (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) payload = g_bytes_new_static ("out", 3);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();

  props->content_type = g_strdup ("text/plain");
  g_signal_connect (f->client, "message-sent", G_CALLBACK (on_message_sent), sent);
  antenna_test_connect_ok (f->client, NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (antenna_test_publish (f->client, "out/1", payload, 2, TRUE, props, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (sent->len, ==, 1);
  g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (sent, 0)), ==, "out/1");
  g_assert_cmpint (antenna_message_get_direction (g_ptr_array_index (sent, 0)), ==, ANTENNA_MESSAGE_SENT);
  g_assert_cmpint (antenna_message_get_qos (g_ptr_array_index (sent, 0)), ==, 2);
  g_assert_true (antenna_message_get_retain (g_ptr_array_index (sent, 0)));
  g_assert_cmpstr (antenna_message_get_properties (g_ptr_array_index (sent, 0))->content_type, ==, "text/plain");
  assert_bytes_equal (antenna_message_get_payload (g_ptr_array_index (sent, 0)), payload);
  publish_ok (f->client, "out/1", NULL, 0, TRUE);
  g_assert_cmpuint (sent->len, ==, 2);
  antenna_test_disconnect_ok (f->client);
}

static void
test_reconnect_then_disconnect (Fixture       *f,
                                gconstpointer  data)
{
  antenna_profile_set_auto_reconnect (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_broker_stop (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_RECONNECTING, WAIT_MS));
  /* the user gives up while it retries */
  antenna_test_disconnect_ok (f->client);
  antenna_test_broker_restart (f->broker);
  antenna_test_iterate_for (2500);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

static void
test_no_reconnect (Fixture       *f,
                   gconstpointer  data)
{
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_broker_stop (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  g_assert_cmpuint (f->lost->len, ==, 1);
  antenna_test_broker_restart (f->broker);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* Last will: a TCP proxy between client and broker that we cut             */

typedef struct
{
  GSocketService *service;
  guint           port;
  guint           target_port;
  GPtrArray      *streams;   /* GIOStream pairs */
} Proxy;

static void
on_splice_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, NULL);
}

static gboolean
on_proxy_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source_object,
                   Proxy             *proxy)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", proxy->target_port, NULL, &error);
  g_assert_no_error (error);

  g_output_stream_splice_async (g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                                g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                G_OUTPUT_STREAM_SPLICE_NONE, G_PRIORITY_DEFAULT, NULL,
                                on_splice_done, NULL);
  g_output_stream_splice_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                g_io_stream_get_input_stream (G_IO_STREAM (upstream)),
                                G_OUTPUT_STREAM_SPLICE_NONE, G_PRIORITY_DEFAULT, NULL,
                                on_splice_done, NULL);
  g_ptr_array_add (proxy->streams, g_object_ref (connection));
  g_ptr_array_add (proxy->streams, g_object_ref (upstream));
  return TRUE;
}

static Proxy *
proxy_new (guint target_port)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;

  proxy->target_port = target_port;
  proxy->streams = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->service = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                   &effective, &error);
    g_assert_no_error (error);
    proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (on_proxy_incoming), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

/* Cut every connection without a word: to the broker it is a dead client. */
static void
proxy_cut (Proxy *proxy)
{
  for (guint i = 0; i < proxy->streams->len; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (g_ptr_array_index (proxy->streams, i));

      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      g_socket_close (socket, NULL);
    }
  g_ptr_array_set_size (proxy->streams, 0);
}

static void
proxy_free (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  proxy_cut (proxy);
  g_clear_object (&proxy->service);
  g_ptr_array_unref (proxy->streams);
  g_free (proxy);
}

#ifdef __linux__
/* The nice value of the thread Paho delivers messages on, found by the name
 * Paho gives it; G_MININT if there is none. */
static int
receive_thread_niceness (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *comm = NULL;
      int niceness;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || !g_str_has_prefix (comm, "MQTTAsync_rcv"))
        continue;

      errno = 0;
      niceness = getpriority (PRIO_PROCESS, (id_t) atoi (tid));
      g_assert_cmpint (errno, ==, 0);
      return niceness;
    }

  return G_MININT;
}
#endif

/* Paho's receive thread runs as many nice levels below the main thread as
 * it is told, from its next message; until then Paho's own. */
static void
test_receive_niceness (Fixture       *f,
                       gconstpointer  data)
{
#ifdef __linux__
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  int main_niceness;

  errno = 0;
  main_niceness = getpriority (PRIO_PROCESS, 0);
  g_assert_cmpint (errno, ==, 0);

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "prio/#", 0);
  g_assert_true (antenna_test_pub (f->broker, "prio/a", payload, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  g_assert_cmpint (receive_thread_niceness (), ==, main_niceness);

  antenna_client_set_receive_niceness (5);
  g_assert_true (antenna_test_pub (f->broker, "prio/a", payload, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 2, WAIT_MS), ==, 2);
  g_assert_cmpint (receive_thread_niceness (), ==, MIN (main_niceness + 5, 19));

  /* Level again, where the process may raise a thread's priority. */
  antenna_client_set_receive_niceness (0);
  g_assert_true (antenna_test_pub (f->broker, "prio/a", payload, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 3, WAIT_MS), ==, 3);
  if (getuid () == 0)
    g_assert_cmpint (receive_thread_niceness (), ==, main_niceness);

  antenna_test_disconnect_ok (f->client);
#else
  g_test_skip ("Only Linux keeps a nice value per thread");
#endif
}

static void
test_last_will (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GBytes) will = g_bytes_new_static ("gone\0away", 9);
  Proxy *proxy = proxy_new (antenna_test_broker_get_port (f->broker));

  antenna_profile_set_port (f->profile, proxy->port);
  antenna_profile_set_will_topic (f->profile, "will/antenna");
  antenna_profile_set_will_payload (f->profile, will);
  antenna_profile_set_will_qos (f->profile, 1);
  antenna_profile_set_will_retain (f->profile, FALSE);
  antenna_profile_set_auto_reconnect (f->profile, FALSE);

  peer = antenna_test_sub_start (f->broker, "will/#", 1, FALSE);
  antenna_test_connect_ok (f->client, NULL);

  /* a clean disconnect sends no will … */
  antenna_test_disconnect_ok (f->client);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (peer), ==, 0);

  /* … a dead connection does */
  antenna_test_connect_ok (f->client, NULL);
  proxy_cut (proxy);
  g_assert_cmpuint (antenna_test_sub_wait (peer, 1, WAIT_MS), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (peer, 0), ==, "will/antenna");
  assert_bytes_equal (antenna_test_sub_get_payload (peer, 0), will);

  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  g_assert_cmpuint (f->lost->len, ==, 1);
  proxy_free (proxy);
}

/* ------------------------------------------------------------------------ */
/* The object goes away while Paho still delivers                            */

static void
on_first_batch_drop_client (AntennaClient *client,
                            GPtrArray     *messages,
                            Fixture       *f)
{
  /* Messages are still flowing in on Paho's threads: drop the client from
   * inside its own signal emission. */
  g_signal_handlers_disconnect_by_func (client, on_first_batch_drop_client, f);
  g_clear_object (&f->client);
}

static void
test_finalize_while_busy (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(AntennaProfile) sender_profile = make_profile (f, ANTENNA_MQTT_VERSION_5);
  g_autoptr(AntennaClient) sender = antenna_client_new (sender_profile);
  g_autoptr(GBytes) payload = antenna_test_random_bytes (1000);
  GWeakRef weak;
  guint n_done = 0;
  const guint n = 3000;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "busy/#", 0);
  antenna_test_connect_ok (sender, NULL);

  g_weak_ref_init (&weak, f->client);
  g_signal_connect (f->client, "messages-received", G_CALLBACK (on_first_batch_drop_client), f);

  for (guint i = 0; i < n; i++)
    antenna_client_publish_async (sender, "busy/x", payload, i % 2, FALSE, NULL, NULL,
                                  on_publish_counted, &n_done);
  while (n_done < n)
    g_main_context_iteration (NULL, TRUE);

  /* it went away with messages still arriving, and nothing crashed */
  g_assert_null (f->client);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  g_assert_cmpuint (f->messages->len, >, 0);
  g_assert_cmpuint (f->messages->len, <, n);
  antenna_test_disconnect_ok (sender);
  g_assert_true (antenna_client_wait_for_destroyed (10000));
}

/* ------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  ADD ("/antenna/client/reconnect/restored", &v5, test_reconnect);
  ADD ("/antenna/client/reconnect/restored-v311", &v311, test_reconnect);
  ADD ("/antenna/client/reconnect/disconnect", &v5, test_reconnect_then_disconnect);
  ADD ("/antenna/client/reconnect/session", &persistent5, test_reconnect_session);
  ADD ("/antenna/client/subscribe/profile", &v5, test_profile_subscriptions);
  ADD ("/antenna/client/subscribe/manual-reconnect", &v5, test_manual_reconnect_subscriptions);
  ADD ("/antenna/client/subscribe/manual-reconnect-v311", &v311, test_manual_reconnect_subscriptions);
  ADD ("/antenna/client/publish/message-sent", &v5, test_message_sent);
  ADD ("/antenna/client/reconnect/off", &v311, test_no_reconnect);

  ADD ("/antenna/client/will", &v5, test_last_will);
  ADD ("/antenna/client/receive-niceness", &v311, test_receive_niceness);
  ADD ("/antenna/client/finalize-while-busy", &v5, test_finalize_while_busy);

  return antenna_test_run ();
}
