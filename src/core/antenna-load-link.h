/* antenna-load-link.h: the load generator's own connection to a broker
 *
 * A load test measures the broker, so its publisher must cost the machine
 * as little as possible. Paho's asynchronous client, through which every
 * other connection of Antenna goes, spends tens of microseconds of CPU on
 * each QoS 1 message with Debian's build (its heap tracking and message
 * lists, three threads handing each message over): a load test through it
 * reached less than half of what a plain socket writer (bench/bench-pub)
 * gets through the same broker. This is that plain writer, made a
 * connection: MQTT 3.1.1 or 5 over a TCP socket, driven by the main loop,
 * whose PUBLISH packets are encoded into one buffer and written together,
 * the broker's acknowledgements read in large reads.
 *
 * It speaks only what a load test needs: CONNECT (clean, with the user
 * name and password of the connection it stands for), PUBLISH at QoS 0, 1
 * and 2 within the broker's Receive Maximum, one SUBSCRIBE (the latency
 * measurement's), the acknowledgements of what comes back, PINGREQ, and
 * DISCONNECT; over TCP, or TLS through GIO set up from the profile.
 * WebSockets and proxies stay Paho's (AntennaClient): the load generator
 * publishes through the connection itself there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_LOAD_LINK (antenna_load_link_get_type ())

G_DECLARE_FINAL_TYPE (AntennaLoadLink, antenna_load_link, ANTENNA, LOAD_LINK, GObject)

/* A message that came back on the link's subscription: @topic is not
 * nul-terminated, both point into the link's buffer (copy what you keep). */
typedef void (*AntennaLoadLinkReceiveFunc) (const char   *topic,
                                            gsize         topic_len,
                                            const guint8 *payload,
                                            gsize         payload_len,
                                            gpointer      user_data);

/* FALSE (and a sentence in @reason) when @client's connection cannot be
 * made this way: WebSockets, a proxy, a key with a passphrase, an Azure
 * SAS token, not connected. */
gboolean         antenna_load_link_can_stand_for     (AntennaClient              *client,
                                                      char                      **reason);
/* NULL (and @reason) as above. The link connects to the same address with
 * the same user name, password, MQTT version and keepalive, as @client_id,
 * with a clean session. */
AntennaLoadLink *antenna_load_link_new_like          (AntennaClient              *client,
                                                      const char                 *client_id,
                                                      char                      **reason);
void             antenna_load_link_connect_async     (AntennaLoadLink            *self,
                                                      GCancellable               *cancellable,
                                                      GAsyncReadyCallback         callback,
                                                      gpointer                    user_data);
gboolean         antenna_load_link_connect_finish    (AntennaLoadLink            *self,
                                                      GAsyncResult               *result,
                                                      GError                    **error);
/* As antenna_client_publish_many_async(): completes when every message is
 * acknowledged (QoS 1, 2) or written (QoS 0), or failed. */
void             antenna_load_link_publish_many_async (AntennaLoadLink           *self,
                                                       guint                      n,
                                                       const char * const        *topics,
                                                       GBytes * const            *payloads,
                                                       int                        qos,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
gboolean         antenna_load_link_publish_many_finish (AntennaLoadLink          *self,
                                                        GAsyncResult             *result,
                                                        guint                    *completed,
                                                        guint                    *failed,
                                                        GError                  **error);
void             antenna_load_link_subscribe_async   (AntennaLoadLink            *self,
                                                      const char                 *filter,
                                                      int                         qos,
                                                      AntennaLoadLinkReceiveFunc  func,
                                                      gpointer                    user_data,
                                                      GAsyncReadyCallback         callback,
                                                      gpointer                    callback_data);
gboolean         antenna_load_link_subscribe_finish  (AntennaLoadLink            *self,
                                                      GAsyncResult               *result,
                                                      GError                    **error);
/* FALSE once the connection is lost or closed (for good: a link does not
 * reconnect). */
gboolean         antenna_load_link_is_open           (AntennaLoadLink            *self);
/* Why it is not open any more: NULL while it is. */
const GError    *antenna_load_link_get_error         (AntennaLoadLink            *self);
/* DISCONNECT (when connected) and close; what is still pending fails. */
void             antenna_load_link_close             (AntennaLoadLink            *self);

G_END_DECLS
