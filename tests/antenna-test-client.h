/* antenna-test-client.h: AntennaClient's operations, run to their end
 *
 * For the tests of the client: each call iterates the default main context
 * until the operation ends, at most ANTENNA_TEST_CLIENT_WAIT_MS, and the
 * _ok forms assert that it succeeded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-client.h"
#include "antenna-subscription.h"

G_BEGIN_DECLS

#define ANTENNA_TEST_CLIENT_WAIT_MS 20000

gboolean   antenna_test_connect            (AntennaClient        *client,
                                            const char           *password,
                                            GError              **error);
/* Also asserts that the client says it is connected. */
void       antenna_test_connect_ok         (AntennaClient        *client,
                                            const char           *password);
/* Also asserts that the client says it is disconnected. */
void       antenna_test_disconnect_ok      (AntennaClient        *client);
/* Returns the granted QoS, or -1 with @error set. */
int        antenna_test_subscribe          (AntennaClient        *client,
                                            AntennaSubscription  *subscription,
                                            GError              **error);
/* Asserts that @filter was granted at @qos. */
void       antenna_test_subscribe_ok       (AntennaClient        *client,
                                            const char           *filter,
                                            int                   qos);
gboolean   antenna_test_unsubscribe        (AntennaClient        *client,
                                            const char           *filter,
                                            GError              **error);
/* Iterates the default main context until @client is in @state or
 * @timeout_ms passed; returns whether it is. */
gboolean   antenna_test_wait_state         (AntennaClient        *client,
                                            AntennaClientState    state,
                                            guint                 timeout_ms);

G_END_DECLS
