/* antenna-subscription-row.h: one subscription in a list, live or saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SUBSCRIPTION_ROW (antenna_subscription_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSubscriptionRow, antenna_subscription_row, ANTENNA, SUBSCRIPTION_ROW, AdwActionRow)

/* Properties: subscription (AntennaSubscription), live (gboolean).
 * A live row (a connection's subscriptions pane) shows the colour, the state
 * and the message count, with a pause button; a saved one (the profile
 * editor) lets the QoS be chosen. Both have a remove button. The buttons
 * activate actions of an ancestor with the filter as target:
 * subscriptions.toggle-pause (s) and subscriptions.unsubscribe (s). */
GtkWidget           *antenna_subscription_row_new              (AntennaSubscription    *subscription,
                                                                gboolean                live);
AntennaSubscription *antenna_subscription_row_get_subscription (AntennaSubscriptionRow *self);
void                 antenna_subscription_row_set_subscription (AntennaSubscriptionRow *self,
                                                                AntennaSubscription    *subscription);
gboolean             antenna_subscription_row_get_live         (AntennaSubscriptionRow *self);
void                 antenna_subscription_row_set_live         (AntennaSubscriptionRow *self,
                                                                gboolean                live);
/* The message count is not bound: it changes with every batch. The pane
 * shows it a few times a second: TRUE when the count shown is not the
 * subscription's; show_count() shows it and returns whether it changed. */
gboolean             antenna_subscription_row_count_is_stale   (AntennaSubscriptionRow *self);
gboolean             antenna_subscription_row_show_count       (AntennaSubscriptionRow *self);

G_END_DECLS
