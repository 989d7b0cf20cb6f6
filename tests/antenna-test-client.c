/* antenna-test-client.c: AntennaClient's operations, run to their end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "antenna-test-broker.h"
#include "antenna-test-client.h"

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
antenna_test_unsubscribe (AntennaClient  *client,
                          const char     *filter,
                          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_client_unsubscribe_async (client, filter, NULL, antenna_test_store_result, &result);
  return antenna_client_unsubscribe_finish (client, antenna_test_wait_result (&result, ANTENNA_TEST_CLIENT_WAIT_MS), error);
}

gboolean
antenna_test_wait_state (AntennaClient      *client,
                         AntennaClientState  state,
                         guint               timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (antenna_client_get_state (client) != state && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return antenna_client_get_state (client) == state;
}
