/* antenna-publish-window.h: a composer in a window of its own
 *
 * Bound to the same AntennaClient as the connection page it was detached
 * from: same connection, same publish history, same templates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-composer.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PUBLISH_WINDOW (antenna_publish_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishWindow, antenna_publish_window, ANTENNA, PUBLISH_WINDOW, AdwWindow)

/* @tree and @store may be NULL. */
AntennaPublishWindow *antenna_publish_window_new          (AntennaClient        *client,
                                                           AntennaTopicTree     *tree,
                                                           AntennaTemplateStore *store);
AntennaComposer      *antenna_publish_window_get_composer (AntennaPublishWindow *self);

G_END_DECLS
