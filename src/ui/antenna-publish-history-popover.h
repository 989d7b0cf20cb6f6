/* antenna-publish-history-popover.h: the composer's list of what was published
 *
 * A row per message of :history (AntennaPublishHistoryRow), newest first, or
 * a line saying nothing was published yet. Choosing a row pops the popover
 * down and emits message-activated; its button, publish-again.
 * Properties: history (a GListModel of AntennaMessage).
 * Signals: message-activated (AntennaMessage), publish-again (AntennaMessage).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_PUBLISH_HISTORY_POPOVER (antenna_publish_history_popover_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishHistoryPopover, antenna_publish_history_popover, ANTENNA, PUBLISH_HISTORY_POPOVER, GtkPopover)

GtkWidget  *antenna_publish_history_popover_new         (void);
/* (transfer none) (nullable) */
GListModel *antenna_publish_history_popover_get_history (AntennaPublishHistoryPopover *self);
void        antenna_publish_history_popover_set_history (AntennaPublishHistoryPopover *self,
                                                         GListModel                   *history);

G_END_DECLS
