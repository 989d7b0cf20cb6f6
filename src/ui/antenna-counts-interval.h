/* antenna-counts-interval.h: how often counts in labels change in a flood
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* A label whose text changes size makes the whole window lay itself out
 * again (and, on X11, ask the X server for its geometry). In a flood, the
 * status lines and the subscriptions' counts change at most this often,
 * not every frame; the views' ticks show the last value when its turn
 * comes, so the counts still end exact. */
#define ANTENNA_COUNTS_INTERVAL_USEC (G_USEC_PER_SEC / 4)
