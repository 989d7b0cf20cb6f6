/* antenna-connection-page.h: everything about one live connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CONNECTION_PAGE (antenna_connection_page_get_type ())

G_DECLARE_FINAL_TYPE (AntennaConnectionPage, antenna_connection_page, ANTENNA, CONNECTION_PAGE, AdwBin)

/* The subscriptions, the live topic tree, the message log, the message
 * inspector and a publish pane of @client. All its state lives in the page:
 * several pages (connections) live side by side.
 *
 * Properties: client (construct-only), preview-size (bytes of a payload
 * shown at most, default 1 MiB), message-log-limit, topic-history-limit,
 * publish-visible (the publish pane).
 * Actions: page.show-toast (s), page.show-error (s), page.clear-retained,
 * page.clear-retained-subtree, page.toggle-publish (Ctrl+P: toggles
 * publish-visible), page.search
 * (Ctrl+F: the topic search), page.show-messages (Alt+1),
 * page.show-subscriptions (Alt+2), page.show-sparkplug (the Sparkplug B
 * window of the connection). */
GtkWidget     *antenna_connection_page_new                (AntennaClient         *client);
AntennaClient *antenna_connection_page_get_client         (AntennaConnectionPage *self);
guint          antenna_connection_page_get_preview_size   (AntennaConnectionPage *self);
void           antenna_connection_page_set_preview_size   (AntennaConnectionPage *self,
                                                           guint                  preview_size);
/* The topic the composer starts with (a cloud's device-to-cloud topic),
 * unless one was typed already. */
void           antenna_connection_page_suggest_publish_topic (AntennaConnectionPage *self,
                                                           const char            *topic);

/* The reason the last connection attempt failed, in view until the next. */
void           antenna_connection_page_show_failure       (AntennaConnectionPage *self,
                                                           const char            *message);
const char    *antenna_connection_page_get_failure        (AntennaConnectionPage *self);

G_END_DECLS
