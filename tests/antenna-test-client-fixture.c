/* antenna-test-client-fixture.c: the fixture of test-client and test-client-reconnect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-test-client.h"
#include "antenna-test-client-fixture.h"
#include "antenna-test-utils.h"

static void
on_messages_received (AntennaClient *client,
                      GPtrArray     *messages,
                      Fixture       *f)
{
  g_assert_cmpuint (messages->len, >, 0);
  f->n_batches++;
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (f->messages, g_object_ref (g_ptr_array_index (messages, i)));
}

static void
on_connection_lost (AntennaClient *client,
                    const GError  *error,
                    Fixture       *f)
{
  g_test_message ("connection lost: %s", error->message);
  g_ptr_array_add (f->lost, g_error_copy (error));
}

static void
on_connected (AntennaClient *client,
              gboolean       session_present,
              Fixture       *f)
{
  f->n_connected++;
  f->last_session_present = session_present;
}

static void
on_state_changed (AntennaClient *client,
                  GParamSpec    *pspec,
                  Fixture       *f)
{
  AntennaClientState state = antenna_client_get_state (client);

  g_array_append_val (f->states, state);
}

AntennaProfile *
make_profile (Fixture            *f,
              AntennaMqttVersion  version)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  if (f->broker != NULL)
    antenna_profile_set_port (profile, antenna_test_broker_get_mqtt_port (f->broker));
  antenna_profile_set_mqtt_version (profile, version);
  antenna_profile_set_connect_timeout (profile, 20);
  return profile;
}

static AntennaClient *
make_client (Fixture        *f,
             AntennaProfile *profile)
{
  AntennaClient *client = antenna_client_new (profile);

  g_signal_connect (client, "messages-received", G_CALLBACK (on_messages_received), f);
  g_signal_connect (client, "connection-lost", G_CALLBACK (on_connection_lost), f);
  g_signal_connect (client, "connected", G_CALLBACK (on_connected), f);
  g_signal_connect (client, "notify::state", G_CALLBACK (on_state_changed), f);
  return client;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Params *params = data;

  f->messages = g_ptr_array_new_with_free_func (g_object_unref);
  f->lost = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->states = g_array_new (FALSE, FALSE, sizeof (AntennaClientState));
  if (params->flags != 0xffff)
    f->broker = antenna_test_broker_new (params->flags);
  f->profile = make_profile (f, params->version);
  f->client = make_client (f, f->profile);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  g_clear_pointer (&f->lost, g_ptr_array_unref);
  g_clear_pointer (&f->states, g_array_unref);
}

void
publish_ok (AntennaClient *client,
            const char    *topic,
            GBytes        *payload,
            int            qos,
            gboolean       retain)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = antenna_test_publish (client, topic, payload, qos, retain, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

AntennaMessage *
message_at (Fixture *f,
            guint    i)
{
  return g_ptr_array_index (f->messages, i);
}

void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (g_bytes_get_size (a), ==, g_bytes_get_size (b));
  g_assert_true (g_bytes_equal (a, b));
}

void
on_publish_counted (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  (*n_done)++;
}
