/* antenna-profile-subscriptions-group.h: the subscriptions a profile restores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_SUBSCRIPTIONS_GROUP (antenna_profile_subscriptions_group_get_type ())

/* Actions: subscriptions.unsubscribe (s: a filter, removed from the profile). */
G_DECLARE_FINAL_TYPE (AntennaProfileSubscriptionsGroup, antenna_profile_subscriptions_group, ANTENNA, PROFILE_SUBSCRIPTIONS_GROUP, AntennaProfileEditorGroup)

/* Adds the filter typed in the add row, if any and valid (once: a filter
 * already there is not added again). FALSE when there is one that cannot be
 * added. */
gboolean antenna_profile_subscriptions_group_add_pending (AntennaProfileSubscriptionsGroup *self);

G_END_DECLS
