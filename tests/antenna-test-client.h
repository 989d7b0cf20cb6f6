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
#include "antenna-test-broker.h"

G_BEGIN_DECLS

#define ANTENNA_TEST_CLIENT_WAIT_MS 20000
/* A publish may carry a large payload, on a loaded machine. */
#define ANTENNA_TEST_CLIENT_PUBLISH_WAIT_MS 60000

/* A profile named @name for @broker's plain listener on 127.0.0.1:
 * MQTT 5, 20 s to connect (a loaded machine). */
AntennaProfile *antenna_test_profile_new   (AntennaTestBroker    *broker,
                                            const char           *name);
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
/* Returns when the publish completed (QoS 0 written, PUBACK, PUBCOMP). */
gboolean   antenna_test_publish            (AntennaClient        *client,
                                            const char           *topic,
                                            GBytes               *payload,
                                            int                   qos,
                                            gboolean              retain,
                                            AntennaProperties    *properties,
                                            GError              **error);
gboolean   antenna_test_unsubscribe        (AntennaClient        *client,
                                            const char           *filter,
                                            GError              **error);
/* Iterates the default main context until @client is in @state or
 * @timeout_ms passed; returns whether it is. */
gboolean   antenna_test_wait_state         (AntennaClient        *client,
                                            AntennaClientState    state,
                                            guint                 timeout_ms);
/* Iterates the default main context until @messages (of AntennaMessage,
 * filled as they arrive) holds @n or @timeout_ms passed; returns how many
 * it holds. */
guint      antenna_test_wait_messages      (GPtrArray            *messages,
                                            guint                 n,
                                            guint                 timeout_ms);
/* Appends a reference to every message @client receives to @messages,
 * which must outlive the client's emissions. */
void       antenna_test_collect_messages   (AntennaClient        *client,
                                            GPtrArray            *messages);

G_END_DECLS
