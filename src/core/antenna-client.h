/* antenna-client.h: one live MQTT connection over a Paho MQTTAsync handle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CLIENT (antenna_client_get_type ())

G_DECLARE_FINAL_TYPE (AntennaClient, antenna_client, ANTENNA, CLIENT, GObject)

/* Signals:
 *   messages-received (GPtrArray *messages): a batch of AntennaMessage in arrival order;
 *   connection-lost (GError *error): the connection broke or the broker disconnected us;
 *     with auto-reconnect the state then moves to RECONNECTING.
 *   connected (gboolean session_present): CONNACK accepted (first connect and every reconnect).
 *   message-sent (AntennaMessage *message): a publish completed (direction SENT), for the log.
 *
 * Properties: profile (construct-only), state, subscriptions (GListModel of
 * AntennaSubscription, the ones sent to the broker on this connection),
 * client-id (the one in use), maximum-packet-size (0: no limit announced),
 * queued (see antenna_client_get_n_queued()), reconnect-attempts. */

AntennaClient      *antenna_client_new                       (AntennaProfile       *profile);
AntennaProfile     *antenna_client_get_profile               (AntennaClient        *self);
AntennaClientState  antenna_client_get_state                 (AntennaClient        *self);
GListModel         *antenna_client_get_subscriptions         (AntennaClient        *self);
const char         *antenna_client_get_client_id             (AntennaClient        *self);
guint               antenna_client_get_maximum_packet_size   (AntennaClient        *self);
/* Publishes accepted but not yet completed: waiting for the connection (or
 * for room in the send window), or sent and waiting for the broker's
 * acknowledgement. The :queued property. */
guint               antenna_client_get_n_queued              (AntennaClient        *self);
/* Connection attempts since the connection was lost (0 while connected or
 * never lost). The :reconnect-attempts property, notified at each attempt. */
guint               antenna_client_get_reconnect_attempts    (AntennaClient        *self);
/* The :secret-store the secrets beyond the password come from at connect
 * (the TLS key's passphrase, the proxy password); NULL: none. */
AntennaSecretStore *antenna_client_get_secret_store          (AntennaClient        *self);
void                antenna_client_set_secret_store          (AntennaClient        *self,
                                                              AntennaSecretStore   *secret_store);
/* The MQTT version of the last connection the broker accepted (3.1.1 or 5:
 * with the profile's automatic version, the one the broker answered);
 * AUTOMATIC before the first. The :mqtt-version property. */
AntennaMqttVersion  antenna_client_get_mqtt_version          (AntennaClient        *self);
/* What happened on this connection, for a person: a GListModel of
 * AntennaConnectionLogEntry (antenna-connection-log.h), kept across
 * connects, the newest ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT entries. */
AntennaConnectionLog *antenna_client_get_log                 (AntennaClient        *self);

/* @password may be NULL; with the profile's auth-method AZURE_SAS it is the
 * device key (each attempt then sends a SAS token made from it). The profile's subscriptions are subscribed once connected. */
void                antenna_client_connect_async             (AntennaClient        *self,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* Connects @self with the password (or device key) @model was last given
 * at connect, which never leaves the core: a second connection of the same
 * profile, e.g. the load test's, when the password was typed rather than
 * saved. Finish with antenna_client_connect_finish(). */
void                antenna_client_connect_like_async        (AntennaClient        *self,
                                                              AntennaClient        *model,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            antenna_client_connect_finish            (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Completes when QoS 0 is written, on PUBACK for QoS 1, on PUBCOMP for QoS 2
 * (or a PUBACK: see antenna_client_publish_finish_full()). @payload and
 * @properties may be NULL. */
void                antenna_client_publish_async             (AntennaClient        *self,
                                                              const char           *topic,
                                                              GBytes               *payload,
                                                              int                   qos,
                                                              gboolean              retain,
                                                              AntennaProperties    *properties,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* Like antenna_client_publish_async(), with @flags. With
 * ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE a QoS 1 or 2 message published while the
 * state is RECONNECTING is kept in order and sent once connected again
 * (completing on PUBACK/PUBCOMP as usual); QoS 0, or no flag, while not
 * connected fails with ANTENNA_ERROR_NOT_CONNECTED. Finish with
 * antenna_client_publish_finish(). */
void                antenna_client_publish_full_async        (AntennaClient        *self,
                                                              const char           *topic,
                                                              GBytes               *payload,
                                                              int                   qos,
                                                              gboolean              retain,
                                                              AntennaProperties    *properties,
                                                              AntennaPublishFlags   flags,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            antenna_client_publish_finish            (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
/* Like antenna_client_publish_finish(), with the QoS the broker acknowledged
 * the message at in @delivered_qos (-1 on failure): the QoS asked for, but 1
 * for a QoS 2 message a broker answered with a PUBACK (RabbitMQ, which
 * delivers it at QoS 1; the client then sends the connection's later QoS 2
 * messages as QoS 1). */
gboolean            antenna_client_publish_finish_full       (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              int                  *delivered_qos,
                                                              GError              **error);

/* Many small messages as one operation, for a load generator: handed to
 * Paho in their order (and in order with the other publishes) from one
 * wake-up of the client's sender, with one completion for the batch once
 * every message is written (QoS 0) or acknowledged (1, 2), or failed.
 * Cancelling stops the batch without ending the connection. No properties,
 * no ::message-sent. See antenna-client-publish-many.c. */
void                antenna_client_publish_many_async        (AntennaClient        *self,
                                                              guint                 n,
                                                              const char * const   *topics,
                                                              GBytes * const       *payloads,
                                                              int                   qos,
                                                              gboolean              retain,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* Whether all completed; @n_completed and @n_failed (may be NULL) count
 * them (@n_failed: failed or never sent), @error has the first failure. */
gboolean            antenna_client_publish_many_finish       (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              guint                *n_completed,
                                                              guint                *n_failed,
                                                              GError              **error);

/* @subscription carries filter, QoS and options; the client adds it (or the
 * copy of an existing one with the same filter) to :subscriptions, pending,
 * then active or refused. Returns the granted QoS. */
void                antenna_client_subscribe_async           (AntennaClient        *self,
                                                              AntennaSubscription  *subscription,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
int                 antenna_client_subscribe_finish          (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

void                antenna_client_unsubscribe_async         (AntennaClient        *self,
                                                              const char           *filter,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            antenna_client_unsubscribe_finish        (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

void                antenna_client_unsubscribe_all_async     (AntennaClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            antenna_client_unsubscribe_all_finish    (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

void                antenna_client_disconnect_async          (AntennaClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            antenna_client_disconnect_finish         (AntennaClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Waits until every Paho handle dropped by a disconnect or a finalized client
 * has been destroyed in its thread (DISCONNECT sent). For the end of the
 * application and of tests. Returns whether all were within @timeout_ms. */
gboolean            antenna_client_wait_for_destroyed        (guint                 timeout_ms);

/* How many nice levels below the thread that calls this (the main thread)
 * Paho's receive thread runs, one thread for every client of the process.
 * An application with a UI gives its frames the first claim on a busy CPU
 * with a few levels; until this is called the thread is left as Paho made
 * it, and 0 puts it back level (which can need privileges). Linux only. */
void                antenna_client_set_receive_niceness      (int                   niceness);

G_END_DECLS
