/* antenna-subscriptions-pane.h: the subscriptions of one connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SUBSCRIPTIONS_PANE (antenna_subscriptions_pane_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSubscriptionsPane, antenna_subscriptions_pane, ANTENNA, SUBSCRIPTIONS_PANE, AdwBin)

/* Actions: subscriptions.subscribe (the filter typed in the form),
 * subscriptions.unsubscribe (s: filter), subscriptions.toggle-pause (s: filter),
 * subscriptions.unsubscribe-all, subscriptions.save-to-profile.
 * Errors a person must see go to the "page.show-error" action (s) of an
 * ancestor, when there is one. */
GtkWidget     *antenna_subscriptions_pane_new        (AntennaClient            *client);
AntennaClient *antenna_subscriptions_pane_get_client (AntennaSubscriptionsPane *self);
/* Sends @subscription (gives it a colour from the palette when it has none). */
void           antenna_subscriptions_pane_subscribe  (AntennaSubscriptionsPane *self,
                                                      AntennaSubscription      *subscription);
/* Called by the page once per frame: shows the message counts, a few times
 * a second at most; TRUE while a count waits for its turn. */
gboolean       antenna_subscriptions_pane_tick       (AntennaSubscriptionsPane *self);
/* The filter entry of the form, and its validation message (for tests). */
GtkEditable   *antenna_subscriptions_pane_get_filter_entry (AntennaSubscriptionsPane *self);
const char    *antenna_subscriptions_pane_get_filter_error (AntennaSubscriptionsPane *self);

G_END_DECLS
