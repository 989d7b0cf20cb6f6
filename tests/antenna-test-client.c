/* antenna-test-client.c: AntennaClient's operations, run to their end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "antenna-profile.h"
#include "antenna-test-client.h"
#include "antenna-test-utils.h"

AntennaProfile *
antenna_test_profile_new (AntennaTestBroker *broker,
                          const char        *name)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_name (profile, name);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_connect_timeout (profile, 20);

  return profile;
}

gboolean
antenna_test_connect (AntennaClient  *client,
                      const char     *password,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_connect_async (client, password, NULL, antenna_test_store_result, &result);
  return antenna_client_connect_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_WAIT_MS), error);
}

void
antenna_test_connect_ok (AntennaClient *client,
                         const char    *password)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = antenna_test_connect (client, password, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
}

void
antenna_test_disconnect_ok (AntennaClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  antenna_client_disconnect_async (client, NULL, antenna_test_store_result, &result);
  g_assert_true (antenna_client_disconnect_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_WAIT_MS), &error));
  g_assert_no_error (error);
  g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
}

int
antenna_test_subscribe (AntennaClient        *client,
                        AntennaSubscription  *subscription,
                        GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_subscribe_async (client, subscription, NULL, antenna_test_store_result, &result);
  return antenna_client_subscribe_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_WAIT_MS), error);
}

void
antenna_test_subscribe_ok (AntennaClient *client,
                           const char    *filter,
                           int            qos)
{
  g_autoptr(AntennaSubscription) subscription = antenna_subscription_new (filter, qos);
  g_autoptr(GError) error = NULL;
  int granted = antenna_test_subscribe (client, subscription, &error);

  g_assert_no_error (error);
  g_assert_cmpint (granted, ==, qos);
}

gboolean
antenna_test_publish (AntennaClient      *client,
                      const char         *topic,
                      GBytes             *payload,
                      int                 qos,
                      gboolean            retain,
                      AntennaProperties  *properties,
                      GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_publish_async (client, topic, payload, qos, retain, properties, NULL,
                                antenna_test_store_result, &result);
  return antenna_client_publish_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_PUBLISH_WAIT_MS), error);
}

gboolean
antenna_test_unsubscribe (AntennaClient  *client,
                          const char     *filter,
                          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_unsubscribe_async (client, filter, NULL, antenna_test_store_result, &result);
  return antenna_client_unsubscribe_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_WAIT_MS), error);
}

typedef struct
{
  AntennaClient      *client;
  AntennaClientState  state;
} StateWait;

static gboolean
client_in_state (gpointer user_data)
{
  StateWait *wait = user_data;

  return antenna_client_get_state (wait->client) == wait->state;
}

gboolean
antenna_test_wait_state (AntennaClient      *client,
                         AntennaClientState  state,
                         guint               timeout_ms)
{
  StateWait wait = { client, state };

  return antenna_test_wait_until (client_in_state, &wait, timeout_ms);
}

typedef struct
{
  GPtrArray *messages;
  guint      n;
} MessagesWait;

static gboolean
messages_arrived (gpointer user_data)
{
  MessagesWait *wait = user_data;

  return wait->messages->len >= wait->n;
}

guint
antenna_test_wait_messages (GPtrArray *messages,
                            guint      n,
                            guint      timeout_ms)
{
  MessagesWait wait = { messages, n };

  antenna_test_wait_until (messages_arrived, &wait, timeout_ms);
  return messages->len;
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         GPtrArray     *collected)
{
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (collected, g_object_ref (g_ptr_array_index (messages, i)));
}

void
antenna_test_collect_messages (AntennaClient *client,
                               GPtrArray     *messages)
{
  g_signal_connect (client, "messages-received", G_CALLBACK (on_messages_received_cb), messages);
}
