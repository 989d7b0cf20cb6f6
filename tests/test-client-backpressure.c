/* test-client-backpressure.c: AntennaClient under a flood its main loop cannot take
 *
 * A raw MQTT publisher (a thread with a blocking socket, so it does not need
 * the main loop the test blocks) floods a real mosquitto with 100,000 QoS 1
 * messages while the client's main thread is blocked. Paho's receive thread
 * must stop at the bridge's bound and leave the rest in the broker; once the
 * main loop runs, every message arrives exactly once, in order, in batches
 * of a bounded size. Calls into Paho from the main thread and dropping the
 * client while the receive thread waits must not hang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gio/gio.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define N_FLOOD 100000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaClient     *client;
  guint64            received;     /* messages, in order */
  guint64            out_of_order; /* payloads that were not the next number */
  guint              n_batches;
  guint              max_batch;
  GThread           *publisher;
} Fixture;

/* ------------------------------------------------------------------------ */
/* The publisher: MQTT 3.1.1 packets written by hand                         */

typedef struct
{
  guint  port;
  guint  count;
  char  *error;      /* set when it failed */
  guint  n_acked;
} Flood;

static void
put_string (GByteArray *out,
            const char *s)
{
  guint16 len = strlen (s);
  guint8 hdr[2] = { len >> 8, len & 0xff };

  g_byte_array_append (out, hdr, 2);
  g_byte_array_append (out, (const guint8 *) s, len);
}

static gboolean
read_exactly (GInputStream *in,
              guint8       *buf,
              gsize         len,
              GError      **error)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buf, len, &got, NULL, error) && got == len;
}

static gpointer
flood_thread (gpointer data)
{
  Flood *flood = data;
  g_autoptr(GSocketClient) sc = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GOutputStream *os;
  GInputStream *is;
  guint8 connack[4];

  conn = g_socket_client_connect_to_host (sc, "127.0.0.1", flood->port, NULL, &error);
  if (conn == NULL)
    goto fail;
  os = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  is = g_io_stream_get_input_stream (G_IO_STREAM (conn));

  {
    static const guint8 vh[] = { 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60 };
    const char *id = "backpressure-flood";

    g_byte_array_append (out, (const guint8 *) "\x10", 1);
    g_byte_array_append (out, (const guint8 *) &(guint8) { sizeof vh + 2 + strlen (id) }, 1);
    g_byte_array_append (out, vh, sizeof vh);
    put_string (out, id);
  }
  if (!g_output_stream_write_all (os, out->data, out->len, NULL, NULL, &error))
    goto fail;
  g_byte_array_set_size (out, 0);
  if (!read_exactly (is, connack, sizeof connack, &error))
    goto fail;
  if (connack[0] != 0x20 || connack[3] != 0)
    {
      flood->error = g_strdup ("the broker refused the publisher");
      return NULL;
    }

  /* PUBLISH, QoS 1: topic flood/<i % 10>, payload the number as %08u. The
   * packet id wraps at 65535; mosquitto keeps no state for a QoS 1 PUBLISH
   * it has acknowledged, so an id can be reused. */
  for (guint i = 0; i < flood->count; i++)
    {
      char topic[16], payload[16];
      guint16 id = (i % 65535) + 1;
      guint8 hdr[2];
      guint8 idb[2] = { id >> 8, id & 0xff };

      g_snprintf (topic, sizeof topic, "flood/%u", i % 10);
      g_snprintf (payload, sizeof payload, "%08u", i);
      hdr[0] = 0x32;
      hdr[1] = 2 + strlen (topic) + 2 + strlen (payload);
      g_byte_array_append (out, hdr, 2);
      put_string (out, topic);
      g_byte_array_append (out, idb, 2);
      g_byte_array_append (out, (const guint8 *) payload, strlen (payload));

      if (out->len >= 64 * 1024 || i + 1 == flood->count)
        {
          if (!g_output_stream_write_all (os, out->data, out->len, NULL, NULL, &error))
            goto fail;
          g_byte_array_set_size (out, 0);
        }
    }

  /* Every PUBACK: the broker has them all. */
  while (flood->n_acked < flood->count)
    {
      guint8 ack[4];

      if (!read_exactly (is, ack, sizeof ack, &error))
        goto fail;
      if (ack[0] != 0x40 || ack[1] != 2)
        {
          flood->error = g_strdup_printf ("unexpected packet 0x%02x from the broker", ack[0]);
          return NULL;
        }
      flood->n_acked++;
    }

  g_output_stream_write_all (os, "\xe0\x00", 2, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return NULL;

fail:
  flood->error = g_strdup (error ? error->message : "short read");
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* The client                                                                */

static void
on_messages_received (AntennaClient *client,
                      GPtrArray     *messages,
                      Fixture       *f)
{
  f->n_batches++;
  f->max_batch = MAX (f->max_batch, messages->len);

  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      GBytes *payload = antenna_message_get_payload (message);
      gsize len;
      const char *data = g_bytes_get_data (payload, &len);
      char buf[16];

      g_assert_cmpuint (len, ==, 8);
      memcpy (buf, data, 8);
      buf[8] = '\0';
      if (g_ascii_strtoull (buf, NULL, 10) != f->received)
        f->out_of_order++;
      f->received++;
    }
}

/* A new client of the fixture's broker, counting into @f, connected and
 * subscribed to @filter at QoS 1. */
static void
connect_and_subscribe (Fixture    *f,
                       const char *filter)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_connect_timeout (profile, 20);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  f->client = antenna_client_new (profile);
  g_signal_connect (f->client, "messages-received", G_CALLBACK (on_messages_received), f);

  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, filter, 1);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  connect_and_subscribe (f, "flood/#");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
}

/* Floods the broker while the main thread does not iterate its loop, until
 * the broker has acknowledged every message and the receive thread had time
 * to fill the bridge's queue. Returns how long the main loop was blocked. */
static gint64
flood_while_blocked (Fixture *f,
                     Flood   *flood)
{
  gint64 start = g_get_monotonic_time ();
  GThread *thread;

  flood->port = antenna_test_broker_get_port (f->broker);
  flood->count = N_FLOOD;
  thread = g_thread_new ("flood", flood_thread, flood);
  g_thread_join (thread);
  g_assert_null (flood->error);
  g_assert_cmpuint (flood->n_acked, ==, N_FLOOD);

  /* Still without iterating: wait until the receive thread has filled the
   * queue (a fraction of a second normally, several under ASan), then give
   * it time to overfill it, were it not stopped. */
  for (guint i = 0; i < 6000 && antenna_client_get_max_queued (f->client) < ANTENNA_CLIENT_MAX_QUEUED_MESSAGES; i++)
    g_usleep (10 * 1000);
  g_usleep (G_USEC_PER_SEC);

  return g_get_monotonic_time () - start;
}

/* The bound holds up to the trickle: one message per FLOW_MAX_WAIT of blocking. */
static void
assert_bounded (Fixture *f,
                gint64   blocked_usec)
{
  guint max = antenna_client_get_max_queued (f->client);
  guint slack = (guint) (blocked_usec / ANTENNA_CLIENT_FLOW_MAX_WAIT_USEC) + 2;

  g_test_message ("blocked %.2f s; longest queue %u (bound %u)", blocked_usec / 1e6, max,
                  ANTENNA_CLIENT_MAX_QUEUED_MESSAGES);
  /* It did fill up (the broker had twice as much)… */
  g_assert_cmpuint (max, >=, ANTENNA_CLIENT_MAX_QUEUED_MESSAGES);
  /* …and stopped there. */
  g_assert_cmpuint (max, <=, ANTENNA_CLIENT_MAX_QUEUED_MESSAGES + slack);
}

static void
wait_received (Fixture *f,
               guint64  n)
{
  gint64 end = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

  while (f->received < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_flood_blocked_main_loop (Fixture       *f,
                              gconstpointer  data)
{
  Flood flood = { 0 };
  gint64 blocked = flood_while_blocked (f, &flood);

  assert_bounded (f, blocked);

  wait_received (f, N_FLOOD);
  g_assert_cmpuint (f->received, ==, N_FLOOD);
  g_assert_cmpuint (f->out_of_order, ==, 0);
  g_assert_cmpuint (f->max_batch, <=, ANTENNA_CLIENT_DISPATCH_MAX_MESSAGES);
  g_test_message ("%u batches, the largest %u", f->n_batches, f->max_batch);

  /* nothing more, nothing twice */
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (f->received, ==, N_FLOOD);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
}

/* While Paho's receive thread waits for room, a publish from the main thread
 * goes into Paho at once (Paho's callbacks hold its global mutex: without
 * care, the call would wait for the receive thread, which waits for the main
 * thread), and the flood still arrives whole. */
static void
test_publish_while_full (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GAsyncResult) published = NULL;
  g_autoptr(GError) error = NULL;
  Flood flood = { 0 };
  gint64 blocked = flood_while_blocked (f, &flood);
  gint64 start;
  gint64 took;

  assert_bounded (f, blocked);

  start = g_get_monotonic_time ();
  antenna_client_publish_async (f->client, "other/topic", payload, 1, FALSE, NULL, NULL,
                                antenna_test_store_result, &published);
  took = g_get_monotonic_time () - start;
  g_test_message ("the publish call took %.3f s", took / 1e6);
  g_assert_cmpint (took, <, ANTENNA_CLIENT_FLOW_MAX_WAIT_USEC * 4 / 5);

  /* its PUBACK comes after the backlog the broker kept */
  g_assert_true (antenna_client_publish_finish (f->client, antenna_test_wait_result (&published, 180 * 1000), &error));
  g_assert_no_error (error);

  wait_received (f, N_FLOOD);
  g_assert_cmpuint (f->received, ==, N_FLOOD);
  g_assert_cmpuint (f->out_of_order, ==, 0);
}

/* Dropping the client while the receive thread waits for room in its queue:
 * the thread goes on (dropping what it had), the handle is destroyed, and a
 * new client on the same broker gets messages. */
static void
test_drop_while_full (Fixture       *f,
                      gconstpointer  data)
{
  Flood flood = { 0 };
  gint64 blocked = flood_while_blocked (f, &flood);
  gint64 start;

  assert_bounded (f, blocked);

  start = g_get_monotonic_time ();
  g_clear_object (&f->client);
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_test_message ("dropped and destroyed in %.3f s", (g_get_monotonic_time () - start) / 1e6);

  /* Paho's receive thread is free: another client connects and receives. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) payload = g_bytes_new_static ("00000000", 8);

    f->received = 0;
    connect_and_subscribe (f, "again/#");

    g_assert_true (antenna_test_pub (f->broker, "again/1", payload, 1, FALSE, &error));
    g_assert_no_error (error);
    wait_received (f, 1);
    g_assert_cmpuint (f->received, ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/client/backpressure/flood-blocked-main-loop", Fixture, NULL,
              fixture_setup, test_flood_blocked_main_loop, fixture_teardown);
  g_test_add ("/antenna/client/backpressure/publish-while-full", Fixture, NULL,
              fixture_setup, test_publish_while_full, fixture_teardown);
  g_test_add ("/antenna/client/backpressure/drop-while-full", Fixture, NULL,
              fixture_setup, test_drop_while_full, fixture_teardown);

  return antenna_test_run ();
}
