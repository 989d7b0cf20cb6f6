/* antenna-publish-pane.h: a basic composer to publish one message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PUBLISH_PANE (antenna_publish_pane_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishPane, antenna_publish_pane, ANTENNA, PUBLISH_PANE, AdwBin)

/* Signals: published (AntennaMessage): the message went out (QoS 0) or was
 * acknowledged (QoS 1 and 2). Action: publish.publish (Ctrl+Return). */
GtkWidget  *antenna_publish_pane_new         (AntennaClient      *client);
void        antenna_publish_pane_set_topic   (AntennaPublishPane *self,
                                              const char         *topic);
void        antenna_publish_pane_set_payload (AntennaPublishPane *self,
                                              const char         *payload);
void        antenna_publish_pane_set_qos     (AntennaPublishPane *self,
                                              int                 qos);
void        antenna_publish_pane_set_retain  (AntennaPublishPane *self,
                                              gboolean            retain);
/* The line under the composer: "Sent", "Delivered" or why it failed. */
const char *antenna_publish_pane_get_status  (AntennaPublishPane *self);
const char *antenna_publish_pane_get_topic_error (AntennaPublishPane *self);

G_END_DECLS
