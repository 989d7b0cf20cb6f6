/* antenna-client-private.h: AntennaClient's bridge limits, for the core and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-client.h"

G_BEGIN_DECLS

/* Backpressure: above this many received messages (or bytes of their topics
 * and payloads) waiting for the main thread, Paho's receive thread waits
 * before it reads more, so a backlog stays in the broker. The bound is soft
 * by a few messages: the receive thread does not wait while the main thread
 * is calling into Paho, and goes on a message at a time when the main loop
 * makes no room for half a second. */
#define ANTENNA_CLIENT_MAX_QUEUED_MESSAGES 50000
#define ANTENNA_CLIENT_MAX_QUEUED_BYTES    (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/* The longest wait of the receive thread for each message while the queue is full. */
#define ANTENNA_CLIENT_FLOW_MAX_WAIT_USEC  (G_USEC_PER_SEC / 2)

/* The most messages one ::messages-received emission carries. */
#define ANTENNA_CLIENT_DISPATCH_MAX_MESSAGES 2000

guint antenna_client_get_max_queued (AntennaClient *self);

G_END_DECLS
