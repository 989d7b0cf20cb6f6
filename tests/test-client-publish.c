/* test-client-publish.c: AntennaClient's publishes when something goes wrong on the way
 *
 * A publish can be cancelled at every point (in our queue, and once Paho has
 * it: being written, or waiting for PUBACK, where only ending the connection
 * stops it), fails after a deadline that grows with its size when the broker
 * never confirms it, and a broker that cuts the connection in the middle of
 * a large one is named as the likely reason. Publishes keep their order
 * through the worker that hands them to Paho, and several clients of one
 * process all connect and work (Paho's receive thread is woken for each new
 * socket: antenna-paho-wakeup.c). How long things take is for bench/.
 *
 * Against a real mosquitto: stopped (SIGSTOP) so that a write stays pending
 * or a PUBACK never comes, with a small max_packet_size to cut a large
 * publish; the last will is seen by mosquitto_sub. A broker that reads and
 * never answers is antenna-test-server.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-server.h"
#include "antenna-test-utils.h"

#define WAIT_MS    30000
#define WILL_TOPIC "will/antenna"
#define WILL_TEXT  "antenna is gone"

typedef struct
{
  AntennaTestBroker *broker;    /* NULL with a server */
  AntennaTestServer *server;
  AntennaProfile    *profile;
  AntennaClient     *client;
  GPtrArray         *lost;      /* of GError */
  GPtrArray         *messages;  /* of AntennaMessage */
} Fixture;

static void
on_connection_lost (AntennaClient *client,
                    const GError  *error,
                    Fixture       *f)
{
  g_test_message ("connection lost: %s", error->message);
  g_ptr_array_add (f->lost, g_error_copy (error));
}

static void
fixture_init (Fixture *f,
              guint    port)
{
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, port);
  antenna_profile_set_keepalive (f->profile, 60);
  antenna_profile_set_connect_timeout (f->profile, 20);
  antenna_profile_set_auto_reconnect (f->profile, TRUE);
  f->client = antenna_client_new (f->profile);
  f->lost = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->client, "connection-lost", G_CALLBACK (on_connection_lost), f);
  antenna_test_collect_messages (f->client, f->messages);
}

/* A mosquitto (with @extra_config), a client for it (not connected yet). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *extra_config = data;
  g_autoptr(GError) error = NULL;

  f->broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN, extra_config, &error);
  g_assert_no_error (error);
  fixture_init (f, antenna_test_broker_get_port (f->broker));
}

/* A server that reads everything and answers nothing but CONNECT. */
static void
fixture_set_up_silent (Fixture       *f,
                       gconstpointer  data)
{
  f->server = antenna_test_server_new_silent ();
  fixture_init (f, antenna_test_server_get_port (f->server));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->client, f);
  g_signal_handlers_disconnect_by_data (f->client, f->messages);
  if (f->broker != NULL)
    antenna_test_broker_signal (f->broker, SIGCONT);
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (WAIT_MS));
  g_clear_object (&f->profile);
  g_ptr_array_unref (f->lost);
  g_ptr_array_unref (f->messages);
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  g_clear_pointer (&f->server, antenna_test_server_free);
}

static void
set_will (Fixture *f)
{
  g_autoptr(GBytes) will = g_bytes_new_static (WILL_TEXT, strlen (WILL_TEXT));

  antenna_profile_set_will_topic (f->profile, WILL_TOPIC);
  antenna_profile_set_will_payload (f->profile, will);
  antenna_profile_set_will_qos (f->profile, 1);
}

static GBytes *
make_payload (gsize size,
              char  fill)
{
  guint8 *data = g_malloc (size);

  memset (data, fill, size);
  return g_bytes_new_take (data, size);
}

static void
start_publish (Fixture              *f,
               const char           *topic,
               GBytes               *payload,
               int                   qos,
               AntennaPublishFlags   flags,
               GCancellable         *cancellable,
               GAsyncResult        **result)
{
  antenna_client_publish_full_async (f->client, topic, payload, qos, FALSE, NULL, flags,
                                     cancellable, antenna_test_store_result, result);
}

static gboolean
finish_publish (Fixture       *f,
                GAsyncResult **result,
                GError       **error)
{
  return antenna_client_publish_finish (f->client, antenna_test_wait_result (result, WAIT_MS), error);
}

static void
assert_says (const GError *error,
             const char   *text)
{
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
}

typedef struct
{
  guint   port;
  guint64 bytes;
} Unread;

static gboolean
unread_reached (gpointer user_data)
{
  Unread *unread = user_data;

  return antenna_test_unread_at_port (unread->port) >= unread->bytes;
}

/* Until at least @bytes wait unread at the (stopped) broker. */
static void
wait_unread (Fixture *f,
             guint64  bytes)
{
  Unread unread = { antenna_test_broker_get_port (f->broker), bytes };

  if (!antenna_test_wait_until (unread_reached, &unread, WAIT_MS))
    g_error ("%" G_GUINT64_FORMAT " bytes unread at the broker, not %" G_GUINT64_FORMAT,
             antenna_test_unread_at_port (unread.port), bytes);
}

/* The size of a PUBLISH of MQTT 3.1.1 at QoS 1 (remaining length < 128). */
static guint64
packet_size (const char *topic,
             GBytes     *payload)
{
  return 1 + 1 + 2 + strlen (topic) + 2 + g_bytes_get_size (payload);
}

static gboolean
client_is_connected (gpointer user_data)
{
  return antenna_client_get_state (user_data) == ANTENNA_CLIENT_STATE_CONNECTED;
}

/* ------------------------------------------------------------------------ */
/* Cancelled before Paho has it                                              */

static void
test_cancel_at_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = make_payload (100, 'c');
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  antenna_test_connect_ok (f->client, NULL);
  g_cancellable_cancel (cancellable);
  start_publish (f, "cancel/at-once", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, cancellable, &result);
  g_assert_false (finish_publish (f, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  g_assert_cmpuint (antenna_client_get_n_queued (f->client), ==, 0);
  antenna_test_disconnect_ok (f->client);
}

/* Behind a full window (the broker stopped: no PUBACK frees a place), a
 * publish waits in our queue: cancelled there, it never reaches the broker,
 * and the connection and the others go on. */
static void
test_cancel_queued (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = make_payload (16, 'w');
  g_autoptr(GBytes) cancelled_payload = make_payload (16, 'x');
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *results[ANTENNA_CLIENT_PUBLISH_WINDOW] = { NULL };

  antenna_test_connect_ok (f->client, NULL);
  sub = antenna_test_sub_start (f->broker, "queued/#", 1, FALSE);
  antenna_test_broker_signal (f->broker, SIGSTOP);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    start_publish (f, "queued/window", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, NULL, &results[i]);
  start_publish (f, "queued/cancelled", cancelled_payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, cancellable, &cancelled);
  g_assert_cmpuint (antenna_client_get_n_queued (f->client), ==, G_N_ELEMENTS (results) + 1);

  g_cancellable_cancel (cancellable);
  g_assert_false (finish_publish (f, &cancelled, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (strstr (error->message, "ended"));
  g_clear_error (&error);
  g_assert_cmpuint (antenna_client_get_n_queued (f->client), ==, G_N_ELEMENTS (results));

  antenna_test_broker_signal (f->broker, SIGCONT);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_true (finish_publish (f, &results[i], &error));
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (antenna_test_sub_wait (sub, G_N_ELEMENTS (results), WAIT_MS), ==, G_N_ELEMENTS (results));
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, G_N_ELEMENTS (results));
  for (guint i = 0; i < antenna_test_sub_get_n_messages (sub); i++)
    g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, "queued/window");
  g_assert_cmpuint (f->lost->len, ==, 0);
  antenna_test_disconnect_ok (f->client);
}

/* Queued offline while reconnecting (ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE):
 * a cancelled one is not sent after the reconnection, the other one is. */
static void
test_cancel_offline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) kept_payload = make_payload (10, 'k');
  g_autoptr(GBytes) cancelled_payload = make_payload (10, 'x');
  g_autoptr(GAsyncResult) kept = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "offline/#", 1);
  antenna_test_broker_stop (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_RECONNECTING, WAIT_MS));

  start_publish (f, "offline/kept", kept_payload, 1, ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE, NULL, &kept);
  start_publish (f, "offline/cancelled", cancelled_payload, 1, ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE,
                 cancellable, &cancelled);
  g_cancellable_cancel (cancellable);
  g_assert_false (finish_publish (f, &cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  antenna_test_broker_restart (f->broker);
  g_assert_true (finish_publish (f, &kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (f->messages, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (f->messages, 0)), ==, "offline/kept");
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* Cancelled once Paho has it: the connection is ended                       */

/* While a large payload is being written (the broker stopped reading): the
 * connection is ended, the error says so and names the last will, which the
 * broker then publishes; the client connects again on a new handle. */
static void
test_cancel_while_written (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = make_payload (32 * 1024 * 1024, 'L');
  g_autoptr(GBytes) small = make_payload (10, 's');
  g_autoptr(AntennaTestSub) will = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  set_will (f);
  antenna_test_connect_ok (f->client, NULL);
  will = antenna_test_sub_start (f->broker, WILL_TOPIC, 1, FALSE);
  antenna_test_broker_signal (f->broker, SIGSTOP);

  start_publish (f, "large/cancelled", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, cancellable, &result);
  wait_unread (f, 1);   /* on its way: Paho is writing it */
  g_cancellable_cancel (cancellable);

  g_assert_false (finish_publish (f, &result, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_says (error, "ended");
  assert_says (error, "last will");
  g_clear_error (&error);
  g_assert_cmpuint (f->lost->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->lost, 0), ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST);
  assert_says (g_ptr_array_index (f->lost, 0), "ended");
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_RECONNECTING);

  antenna_test_broker_signal (f->broker, SIGCONT);
  g_assert_cmpuint (antenna_test_sub_wait (will, 1, WAIT_MS), ==, 1);
  g_assert_cmpmem (g_bytes_get_data (antenna_test_sub_get_payload (will, 0), NULL),
                   g_bytes_get_size (antenna_test_sub_get_payload (will, 0)), WILL_TEXT, strlen (WILL_TEXT));

  g_assert_true (antenna_test_wait_until (client_is_connected, f->client, WAIT_MS));
  g_assert_true (antenna_test_publish (f->client, "large/after", small, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  antenna_test_disconnect_ok (f->client);
}

/* Written, waiting for PUBACK (the broker stopped): the connection is ended
 * to cancel it. (Paho could send DISCONNECT this time, but mosquitto may
 * still publish the will: it answers the PUBLISHes before it, on a socket
 * that is closed by then. So the will is only named.) The other publishes
 * in flight go as after a lost connection: one queued offline is sent again
 * and confirmed once reconnected, the others fail. */
static void
test_cancel_awaiting_ack (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = make_payload (100, 'a');
  g_autoptr(GAsyncResult) kept = NULL;
  g_autoptr(GAsyncResult) plain = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before;

  set_will (f);
  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_broker_signal (f->broker, SIGSTOP);
  before = antenna_test_unread_at_port (antenna_test_broker_get_port (f->broker));

  start_publish (f, "ack/kept", payload, 1, ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE, NULL, &kept);
  start_publish (f, "ack/plain", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, NULL, &plain);
  start_publish (f, "ack/cancelled", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, cancellable, &cancelled);
  /* all three written whole */
  wait_unread (f, before + packet_size ("ack/kept", payload) + packet_size ("ack/plain", payload) +
                  packet_size ("ack/cancelled", payload));
  g_cancellable_cancel (cancellable);

  g_assert_false (finish_publish (f, &cancelled, &error));
  antenna_test_broker_signal (f->broker, SIGCONT);
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_says (error, "ended");
  assert_says (error, "last will");
  g_clear_error (&error);

  g_assert_false (finish_publish (f, &plain, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST);
  g_clear_error (&error);

  g_assert_true (finish_publish (f, &kept, &error));
  g_assert_no_error (error);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (f->client);
}

/* ------------------------------------------------------------------------ */
/* A broker that never confirms: the deadline                                */

static void
publish_until_deadline (Fixture    *f,
                        gsize       size,
                        const char *waited)
{
  g_autoptr(GBytes) payload = make_payload (size, 'd');
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size_text = g_format_size (size);
  guint n_lost = f->lost->len;

  g_assert_true (antenna_test_wait_until (client_is_connected, f->client, WAIT_MS));
  start_publish (f, "never/confirmed", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, NULL, &result);
  g_assert_false (finish_publish (f, &result, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TIMEOUT);
  assert_says (error, "did not confirm");
  assert_says (error, size_text);
  assert_says (error, waited);
  assert_says (error, "max_message_size");
  assert_says (error, "ended");
  g_assert_cmpuint (f->lost->len, ==, n_lost + 1);
  assert_says (g_ptr_array_index (f->lost, n_lost), "did not confirm");
}

/* The deadline is a base plus the payload at a rate (here 500 ms and
 * 1 MiB/s instead of 30 s and 512 KiB/s): 1.5 s for 1 MiB, 3.5 s for 3 MiB,
 * said rounded up; after each the client connects again. */
static void
test_deadline (Fixture       *f,
               gconstpointer  data)
{
  antenna_client_set_publish_deadline (f->client, 500, 1024 * 1024);
  antenna_test_connect_ok (f->client, NULL);

  publish_until_deadline (f, 10, "1 second");
  publish_until_deadline (f, 1024 * 1024, "2 seconds");
  publish_until_deadline (f, 3 * 1024 * 1024, "4 seconds");

  /* the server read them: written, never confirmed */
  g_assert_cmpuint (antenna_test_server_get_n_bytes (f->server), >=, 4 * 1024 * 1024);
  g_assert_cmpuint (antenna_test_server_get_n_connections (f->server), >=, 3);
}

/* ------------------------------------------------------------------------ */
/* The broker cuts a large publish                                           */

/* mosquitto closes the connection on a packet above its max_packet_size
 * (MQTT 3.1.1: the client was not told the limit). */
static void
test_cut (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GBytes) payload = make_payload (4 * 1000 * 1000, 'c');
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = g_format_size (g_bytes_get_size (payload));
  g_autofree char *while_sent = g_strdup_printf ("while a message of %s was being sent", size);

  antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  antenna_test_connect_ok (f->client, NULL);
  start_publish (f, "cut/large", payload, 1, ANTENNA_PUBLISH_FLAGS_NONE, NULL, &result);
  g_assert_false (finish_publish (f, &result, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST);
  assert_says (error, size);
  assert_says (error, "may not take messages that large");

  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  g_assert_cmpuint (f->lost->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->lost, 0), ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST);
  assert_says (g_ptr_array_index (f->lost, 0), while_sent);
  assert_says (g_ptr_array_index (f->lost, 0), "limit the size");
}

/* ------------------------------------------------------------------------ */
/* Order, and several clients                                                */

/* Large and small: they reach the broker in the order they were published
 * (all at QoS 1: mosquitto delivers a QoS 2 message only once its handshake
 * is done, so a later QoS 1 one may overtake it). */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) large = make_payload (8 * 1024 * 1024, 'L');
  GAsyncResult *results[40] = { NULL };
  g_autoptr(GError) error = NULL;

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "order/#", 1);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(GBytes) small = g_bytes_new (text, strlen (text));

      antenna_client_publish_full_async (f->client, "order/t", i % 10 == 3 ? large : small,
                                         1, FALSE, NULL, ANTENNA_PUBLISH_FLAGS_NONE,
                                         NULL, antenna_test_store_result, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_true (finish_publish (f, &results[i], &error));
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }

  g_assert_cmpuint (antenna_test_wait_messages (f->messages, G_N_ELEMENTS (results), WAIT_MS), ==,
                    G_N_ELEMENTS (results));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      GBytes *got = antenna_message_get_payload (g_ptr_array_index (f->messages, i));

      if (i % 10 == 3)
        g_assert_cmpuint (g_bytes_get_size (got), ==, g_bytes_get_size (large));
      else
        {
          g_autofree char *text = g_strdup_printf ("%u", i);

          g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), text, strlen (text));
        }
    }
  antenna_test_disconnect_ok (f->client);
}

/* Three clients of one process connect one after another, and each sends to
 * and receives from another. */
static void
test_several_clients (Fixture       *f,
                      gconstpointer  data)
{
  AntennaClient *clients[3] = { f->client, NULL, NULL };
  GPtrArray *received[3];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *filter = g_strdup_printf ("several/%u", i);

      if (clients[i] == NULL)
        {
          g_autoptr(AntennaProfile) profile = antenna_profile_copy (f->profile);

          clients[i] = antenna_client_new (profile);
        }
      received[i] = g_ptr_array_new_with_free_func (g_object_unref);
      antenna_test_collect_messages (clients[i], received[i]);
      antenna_test_connect_ok (clients[i], NULL);
      antenna_test_subscribe_ok (clients[i], filter, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *topic = g_strdup_printf ("several/%u", (guint) ((i + 1) % G_N_ELEMENTS (clients)));
      g_autoptr(GBytes) payload = g_bytes_new (topic, strlen (topic));

      g_assert_true (antenna_test_publish (clients[i], topic, payload, 1, FALSE, NULL, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *topic = g_strdup_printf ("several/%u", i);

      g_assert_cmpuint (antenna_test_wait_messages (received[i], 1, WAIT_MS), ==, 1);
      g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (received[i], 0)), ==, topic);
      g_signal_handlers_disconnect_by_data (clients[i], received[i]);
      g_ptr_array_unref (received[i]);
      antenna_test_disconnect_ok (clients[i]);
      if (i > 0)
        g_assert_finalize_object (clients[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, extra, setup, func) \
  g_test_add ("/antenna/client-publish/" path, Fixture, extra, setup, func, fixture_tear_down)

  ADD ("cancel/at-once", NULL, fixture_set_up, test_cancel_at_once);
  ADD ("cancel/queued", NULL, fixture_set_up, test_cancel_queued);
  ADD ("cancel/queued-offline", NULL, fixture_set_up, test_cancel_offline);
  ADD ("cancel/while-written", NULL, fixture_set_up, test_cancel_while_written);
  ADD ("cancel/awaiting-ack", NULL, fixture_set_up, test_cancel_awaiting_ack);
  ADD ("deadline", NULL, fixture_set_up_silent, test_deadline);
  ADD ("cut", "max_packet_size 1000000", fixture_set_up, test_cut);
  ADD ("order", NULL, fixture_set_up, test_order);
  ADD ("several-clients", NULL, fixture_set_up, test_several_clients);

#undef ADD

  return antenna_test_run ();
}
