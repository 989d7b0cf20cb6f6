/* antenna-subscription.h: one topic filter with its options and live state
 *
 * The same object serves as a saved subscription of a profile (filter, QoS,
 * options, colour) and as an entry of AntennaClient:subscriptions, where the
 * client updates state, granted-qos and error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SUBSCRIPTION (antenna_subscription_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSubscription, antenna_subscription, ANTENNA, SUBSCRIPTION, GObject)

AntennaSubscription      *antenna_subscription_new                     (const char               *filter,
                                                                        int                       qos);
AntennaSubscription      *antenna_subscription_copy                    (AntennaSubscription      *self);
const char               *antenna_subscription_get_filter              (AntennaSubscription      *self);
int                       antenna_subscription_get_qos                 (AntennaSubscription      *self);
void                      antenna_subscription_set_qos                 (AntennaSubscription      *self,
                                                                        int                       qos);
gboolean                  antenna_subscription_get_no_local            (AntennaSubscription      *self);
void                      antenna_subscription_set_no_local            (AntennaSubscription      *self,
                                                                        gboolean                  no_local);
gboolean                  antenna_subscription_get_retain_as_published (AntennaSubscription      *self);
void                      antenna_subscription_set_retain_as_published (AntennaSubscription      *self,
                                                                        gboolean                  retain_as_published);
AntennaRetainHandling     antenna_subscription_get_retain_handling     (AntennaSubscription      *self);
void                      antenna_subscription_set_retain_handling     (AntennaSubscription      *self,
                                                                        AntennaRetainHandling     retain_handling);
/* "#rrggbb", or NULL: the UI picks one. */
const char               *antenna_subscription_get_color               (AntennaSubscription      *self);
void                      antenna_subscription_set_color               (AntennaSubscription      *self,
                                                                        const char               *color);
gboolean                  antenna_subscription_get_paused              (AntennaSubscription      *self);
void                      antenna_subscription_set_paused              (AntennaSubscription      *self,
                                                                        gboolean                  paused);

/* Live state, set by AntennaClient. */
AntennaSubscriptionState  antenna_subscription_get_state               (AntennaSubscription      *self);
int                       antenna_subscription_get_granted_qos         (AntennaSubscription      *self);
/* A sentence for a person when state is REFUSED, else NULL. */
const char               *antenna_subscription_get_error               (AntennaSubscription      *self);
guint64                   antenna_subscription_get_message_count       (AntennaSubscription      *self);
/* Messages per second over the last few whole seconds (antenna-rate.h). */
double                    antenna_subscription_get_rate                (AntennaSubscription      *self);
void                      antenna_subscription_add_messages            (AntennaSubscription      *self,
                                                                        guint64                   n);
void                      _antenna_subscription_set_state              (AntennaSubscription      *self,
                                                                        AntennaSubscriptionState  state,
                                                                        int                       granted_qos,
                                                                        const char               *error);

G_END_DECLS
