/* antenna-publish-history.h: the messages published on one connection
 *
 * A bounded GListModel of AntennaMessage (direction SENT), newest first:
 * topic, QoS, retain, properties and payload of every publish the broker
 * accepted (QoS 0 written, QoS 1/2 acknowledged). One per AntennaClient,
 * shared by every composer of that connection (the page's and a detached
 * window's), fed by the client's ::message-sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

/* At most this many entries… */
#define ANTENNA_PUBLISH_HISTORY_MAX_ITEMS 200
/* …and payloads of at most this many bytes in all: older entries go first
 * (the newest is always kept, whatever its size). */
#define ANTENNA_PUBLISH_HISTORY_MAX_BYTES (512 * 1024 * 1024)

#define ANTENNA_TYPE_PUBLISH_HISTORY (antenna_publish_history_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishHistory, antenna_publish_history, ANTENNA, PUBLISH_HISTORY, GObject)

/* A history not tied to a client. */
AntennaPublishHistory *antenna_publish_history_new             (guint                  max_items,
                                                                guint64                max_bytes);
/* (transfer none): the history of @client, made on first use and kept as
 * long as the client; it records every ::message-sent of @client. */
AntennaPublishHistory *antenna_publish_history_get_for_client  (AntennaClient         *client);
/* Puts @message first. */
void                   antenna_publish_history_add             (AntennaPublishHistory *self,
                                                                AntennaMessage        *message);
void                   antenna_publish_history_clear           (AntennaPublishHistory *self);
/* The payload bytes held. */
guint64                antenna_publish_history_get_n_bytes     (AntennaPublishHistory *self);

G_END_DECLS
